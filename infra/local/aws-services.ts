import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sesModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import S3rver from 's3rver';

export interface AwsStandIns {
  endpoints: { dynamodb: string; sesv2: string; s3: string };
  stop(): Promise<void>;
}

/** dynalite, aws-ses-v2-local and s3rver on random loopback ports; `stop` always frees them. */
export async function startAwsStandIns(): Promise<AwsStandIns> {
  const started: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of started.reverse()) await s().catch(() => undefined);
  };
  try {
    const ddb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await listen(ddb);
    started.push(() => close(ddb));

    // CJS `exports.default`: under ESM the default import is the exports object.
    type SesServer = (c: { host: string; port: number }) => Promise<Server>;
    const mod = sesModule as unknown as { default?: SesServer } & SesServer;
    const sesServer: SesServer = mod.default ?? mod;
    const ses = await sesServer({ host: '127.0.0.1', port: 0 });
    started.push(() => close(ses));

    const dir = mkdtempSync(path.join(tmpdir(), 'tourniquet-s3-'));
    const s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: process.env.S3RVER_DEBUG !== '1',
      directory: dir,
      resetOnClose: true,
    });
    const { port: s3Port } = await s3.run();
    started.push(async () => {
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    });

    return {
      endpoints: {
        dynamodb: `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`,
        sesv2: `http://127.0.0.1:${(ses.address() as AddressInfo).port}`,
        s3: `http://127.0.0.1:${s3Port}`,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function close(server: Server): Promise<void> {
  (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  return new Promise((r) => server.close(() => r()));
}
