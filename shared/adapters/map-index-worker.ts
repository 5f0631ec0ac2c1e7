import { parentPort, workerData } from 'node:worker_threads';
import { loadMapIndexHere } from './file-data-map.ts';

/**
 * Worker thread of loadMapIndex: builds the index of a local data map off the main thread (which
 * meanwhile reads the leaked file) and hands it over as transferred buffers.
 */
const { dir } = workerData as { dir: string };
try {
  const { index, manifest } = await loadMapIndexHere(dir);
  const { state, transfer } = index.exportState();
  parentPort?.postMessage({ ok: true, state, manifest }, transfer);
} catch (error) {
  parentPort?.postMessage({ ok: false, error });
}
