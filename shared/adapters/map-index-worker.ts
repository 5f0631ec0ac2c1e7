import { parentPort, workerData } from 'node:worker_threads';
import { loadMapIndexHere } from './file-data-map.ts';

/**
 * Worker thread of loadMapIndex: builds the index of a local data map off the main thread (which
 * meanwhile reads the leaked file) and hands it over as transferred buffers.
 */
const { dir, snapshot: useSnapshot } = workerData as { dir: string; snapshot: boolean };
try {
  const { index, manifest, snapshot } = await loadMapIndexHere(dir, undefined, useSnapshot);
  const { state, transfer } = index.exportState();
  parentPort?.postMessage({ ok: true, state, manifest, snapshot }, transfer);
} catch (error) {
  parentPort?.postMessage({ ok: false, error });
}
