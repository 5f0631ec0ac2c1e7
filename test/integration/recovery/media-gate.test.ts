import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { S3MediaObjects } from '#adapters/media/s3-media-objects.ts';
import { DynamoExposureLedger } from '#adapters/recovery/dynamo-exposure-ledger.ts';
import { DatabaseCopyRestorer } from '#adapters/recovery/magento-restorers.ts';
import { S3MediaVerdicts } from '#adapters/recovery/s3-media-verdicts.ts';
import {
  DEFAULT_FINGERPRINT_RULES,
  DEFAULT_MEDIA_RULES,
  DEFAULT_SCAN_TABLES,
  MEDIA_VERDICT_TAG,
} from '#contracts/recovery.ts';
import { parseSyntheticRegistry } from '#contracts/synthetic-registry.ts';
import { startAwsStandIns } from '#local/aws-services.ts';
import { VERDICT_TAG } from '#use-cases/media/check-media-object.ts';
import {
  promoteRestore,
  type ScanDeps,
  scanRestoredData,
  startIsolatedRestore,
} from '#use-cases/recovery/gate.ts';
import { startStore } from '../ingest/dynalite.ts';

/**
 * The recovery gate reads restored media's verdicts itself: a restored Magento database (MariaDB
 * copy) whose gallery rows point at catalog images in the media bucket (s3rver), tagged the way
 * check-media tags them (S3MediaObjects.putTags with `tourniquet:media-verdict`).
 */
const ROOT = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const CREDS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const GALLERY_DDL = (db: string) =>
  `CREATE TABLE ${db}.catalog_product_entity_media_gallery (value_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, attribute_id SMALLINT UNSIGNED NOT NULL DEFAULT 90, value VARCHAR(255), media_type VARCHAR(32) NOT NULL DEFAULT 'image', disabled SMALLINT UNSIGNED NOT NULL DEFAULT 0)`;
const registry = parseSyntheticRegistry(
  JSON.parse(
    readFileSync(
      path.resolve(import.meta.dirname, '../../../config/synthetic-sources.json'),
      'utf8',
    ),
  ),
);

/** Gallery value → verdict tag (undefined: never checked; 'missing': no object at all). */
const IMAGES: Array<[string, string | undefined]> = [
  ['/c/l/clean-1.jpg', 'clean'],
  ['/s/y/synthetic-2.jpg', 'synthetic'],
  ['/m/a/manipulated-3.jpg', 'suspected-manipulation'],
  ['/u/n/unknown-4.jpg', 'unknown'],
  ['/n/e/never-checked-5.jpg', undefined],
  ['/g/o/gone-6.jpg', 'missing'],
];

let stopAws: () => Promise<void>;
let db: Awaited<ReturnType<typeof startStore>>;
let store: DynamoIncidentStore;
let s3: S3Client;
let conn: Connection;
const made: string[] = [];
let deps: ScanDeps;

beforeAll(async () => {
  const aws = await startAwsStandIns();
  stopAws = aws.stop;
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: aws.endpoints.s3,
    credentials: CREDS,
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'media' }));
  const objects = new S3MediaObjects(s3);
  for (const [file, verdict] of IMAGES) {
    if (verdict === 'missing') continue;
    const key = `catalog/product${file}`;
    await s3.send(new PutObjectCommand({ Bucket: 'media', Key: key, Body: Buffer.from(file) }));
    // what check-media does after classifying the object
    if (verdict) await objects.putTags('media', key, { [VERDICT_TAG]: verdict, other: 'kept' });
  }
  db = await startStore('tourniquet-incidents-media-gate');
  store = db.store;
  conn = await createConnection(ROOT);
  deps = {
    store,
    clock: { now: () => new Date('2026-03-01T10:00:00Z') },
    restorers: {
      'magento-db': new DatabaseCopyRestorer(() => createConnection(ROOT), DEFAULT_SCAN_TABLES),
    },
    ledger: new DynamoExposureLedger(db.doc, 'tourniquet-incidents-media-gate'),
    registry,
    fingerprintKey: 'k'.repeat(48),
    fingerprintRules: DEFAULT_FINGERPRINT_RULES,
    tables: DEFAULT_SCAN_TABLES,
    mediaRules: DEFAULT_MEDIA_RULES,
    mediaBucket: 'media',
    mediaVerdicts: new S3MediaVerdicts(s3),
  };
});
afterAll(async () => {
  for (const d of made) await conn.query(`DROP DATABASE IF EXISTS \`${d}\``);
  await conn?.end();
  s3?.destroy();
  await db?.stop();
  await stopAws?.();
});

async function productionWithGallery(files: string[]) {
  const source = `tq_media_${randomBytes(4).toString('hex')}`;
  made.push(source);
  await conn.query(`CREATE DATABASE ${source}`);
  await conn.query(GALLERY_DDL(source));
  for (const f of files)
    await conn.query(
      `INSERT INTO ${source}.catalog_product_entity_media_gallery (value) VALUES (?)`,
      [f],
    );
  const incidentId = `INC-20260301-${randomBytes(4).toString('hex')}`;
  const r = await startIsolatedRestore(deps, { incidentId, kind: 'magento-db', source });
  made.push(r.target);
  return { incidentId, ...r };
}

describe('recovery gate: restored media (s3rver + MariaDB)', () => {
  it('the tag it reads is the one check-media writes', () => {
    expect(MEDIA_VERDICT_TAG).toBe(VERDICT_TAG);
  });

  it('blocks restored media without a verdict or with a synthetic / manipulated one, saying exactly what to remove', async () => {
    const r = await productionWithGallery(IMAGES.map(([f]) => f));
    const scan = await scanRestoredData(deps, r);
    expect(scan.blocked).toBe(true);
    expect(scan.counts).toMatchObject({ media: 5, exposed: 0, 'synthetic-unregistered': 0 });
    // value_id = position in IMAGES: 2 synthetic, 3 manipulated, 5 never checked, 6 missing
    expect(scan.remove).toEqual(
      [2, 3, 5, 6].map(
        (id) => `DELETE FROM \`catalog_product_entity_media_gallery\` WHERE \`value_id\` = ${id};`,
      ),
    );
    const entry = (await store.readTimeline(r.incidentId)).find(
      (e) => e.type === 'recovery.gated' && e.data?.stage === 'scanned',
    )!;
    const findings = (entry.data as { findings: Array<{ key: object; reason: string }> }).findings;
    expect(findings.map((f) => [f.key, f.reason])).toEqual([
      [{ value_id: 2 }, 'media s3://media/catalog/product/s/y/synthetic-2.jpg verdict synthetic'],
      [
        { value_id: 3 },
        'media s3://media/catalog/product/m/a/manipulated-3.jpg verdict suspected-manipulation',
      ],
      [{ value_id: 4 }, 'media s3://media/catalog/product/u/n/unknown-4.jpg verdict unknown'],
      [
        { value_id: 5 },
        'media s3://media/catalog/product/n/e/never-checked-5.jpg has no verdict (never checked by check-media, or the object is missing)',
      ],
      [
        { value_id: 6 },
        'media s3://media/catalog/product/g/o/gone-6.jpg has no verdict (never checked by check-media, or the object is missing)',
      ],
    ]);
    expect(entry.summary).toContain('4 media finding(s)');

    // the operator removes exactly the listed rows from the isolated copy; the rescan is clean
    for (const stmt of scan.remove)
      await conn.query(`USE \`${r.target}\``).then(() => conn.query(stmt));
    const again = await scanRestoredData(deps, { ...r, attempt: scan.attempt });
    expect(again).toMatchObject({ blocked: false, scanned: 2, remove: [] });
    expect(again.counts.media).toBe(1); // unknown stays listed, not blocking
    const promoted = await promoteRestore(deps, {
      ...r,
      scan: again,
      approval: { approver: 'ops-lead-3', decision: 'approved' },
    });
    expect(promoted).toMatchObject({ promoted: true, approver: 'ops-lead-3' });
  });

  it('a verdict given in the input counts only when it is worse than the recorded one', async () => {
    const r = await productionWithGallery(['/c/l/clean-1.jpg', '/s/y/synthetic-2.jpg']);
    const ref = (id: number) => `magento:catalog_product_entity_media_gallery#value_id=${id}`;
    const scan = await scanRestoredData(deps, {
      ...r,
      mediaVerdicts: { [ref(1)]: 'suspected-manipulation', [ref(2)]: 'clean' },
    });
    expect(scan.remove).toEqual([
      'DELETE FROM `catalog_product_entity_media_gallery` WHERE `value_id` = 1;',
      'DELETE FROM `catalog_product_entity_media_gallery` WHERE `value_id` = 2;',
    ]);
  });

  it('without a verdict source every restored media record blocks (never assumed clean)', async () => {
    const r = await productionWithGallery(['/c/l/clean-1.jpg']);
    const { mediaVerdicts: _none, ...blind } = deps;
    const scan = await scanRestoredData(blind, r);
    expect(scan).toMatchObject({ blocked: true, counts: { media: 1 } });
    const { mediaBucket: _b, ...noBucket } = deps;
    const unresolved = await scanRestoredData(noBucket, { ...r, attempt: 1 });
    expect(unresolved.blocked).toBe(true);
  });
});
