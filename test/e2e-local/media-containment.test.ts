import {
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { CONTAINMENT_INJECTORS } from '#local/containment-drill.ts';
import { attachDrillOperator } from '#local/drill-operator.ts';
import { makeImage } from '#local/media-fixtures.ts';
import { LocalRuntime } from '#local/runtime.ts';
import { QUARANTINE_TAG } from '#use-cases/containment/levers-media.ts';
import { passActionKey } from '#use-cases/containment/plan.ts';

/**
 * Deepfake containment on the local runtime: the real respond machine, execute-containment and
 * apply-override handlers with the levers wired from the synthesized template (s3rver, MariaDB
 * gallery tables, KYC vendor simulator).
 */
let rt: LocalRuntime;
let store: DynamoIncidentStore;
let bucket: string;

const CATALOG = 'catalog/product';
const uri = (key: string) => `s3://${bucket}/${key}`;

async function tags(key: string) {
  const s3 = rt.s3();
  try {
    const r = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key, t.Value]));
  } finally {
    s3.destroy();
  }
}

async function upload(key: string, seed: number, tagSet: Record<string, string>) {
  const s3 = rt.s3();
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: makeImage({ seed }) }));
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: key,
        Tagging: { TagSet: Object.entries(tagSet).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  } finally {
    s3.destroy();
  }
}

/** Gallery rows (value_id, store_id) → disabled. */
async function gallery(valueIds: number[]) {
  const c = await rt.storefront.magentoDb.connect();
  try {
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT value_id, store_id, disabled FROM catalog_product_entity_media_gallery_value WHERE value_id IN (?) ORDER BY value_id, store_id',
      [valueIds],
    );
    return rows.map((r) => `${r.value_id}/${r.store_id}=${r.disabled}`);
  } finally {
    await c.end();
  }
}

async function seedGallery(rows: Array<{ valueId: number; file: string; disabled: number[] }>) {
  await rt.storefront.magentoDb.seed({
    catalog_product_entity_media_gallery: rows.map((r) => ({
      value_id: r.valueId,
      value: r.file,
      media_type: 'image',
    })),
    catalog_product_entity_media_gallery_value: rows.flatMap((r) =>
      r.disabled.map((disabled, store_id) => ({
        value_id: r.valueId,
        store_id,
        entity_id: r.valueId + 1000,
        disabled,
      })),
    ),
  });
}

/** An incident as triage leaves it, with one alert per flagged object. */
async function openIncident(
  id: string,
  drill: boolean,
  alerts: Array<{ mediaObject: string; applicant?: string }>,
) {
  const at = rt.clock.now().toISOString();
  await store.createIncident({
    incidentId: id,
    status: 'open',
    classification: 'deepfake-media',
    severity: 'P1',
    severityRuleVersion: 't',
    playbook: 'deepfake-media',
    correlationKeys: [],
    alertIds: alerts.map((_, i) => `${id}-a${i}`),
    openedAt: at,
    updatedAt: at,
    drill,
  });
  for (const [i, a] of alerts.entries())
    await store.saveAlert({
      alertId: `${id}-a${i}`,
      incidentId: id,
      source: 'media-check',
      kind: 'media.synthetic',
      receivedAt: at,
      occurredAt: at,
      severityHint: 'high',
      correlationKeys: {
        mediaObject: a.mediaObject,
        ...(a.applicant ? { applicant: a.applicant } : {}),
      },
      drill,
    });
}

async function respond(id: string, drill: boolean) {
  const ex = rt.startExecution('respond', {
    detail: {
      incidentId: id,
      classification: 'deepfake-media',
      severity: 'P1',
      playbook: 'deepfake-media',
      drill,
    },
  });
  await ex.done;
  return ex;
}

const release = (incidentId: string, action: string) =>
  rt.invokeFunction('apply-override', {
    override: 'release-action',
    incidentId,
    action,
    approver: 'test-operator',
    reason: 'test: release the containment',
  }) as Promise<{ restored: number; reversible: boolean }>;

beforeAll(async () => {
  rt = await LocalRuntime.start({
    stage: 'drill',
    context: { 'tourniquet:kycApiBase': 'https://kyc-vendor.example/api' },
  });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  bucket = rt.functionEnv('check-media').MEDIA_BUCKET!;
  attachDrillOperator(rt);
}, 120_000);
afterAll(async () => rt?.stop());

describe('release of the deepfake levers through apply-override (local runtime)', () => {
  for (const drill of [false, true]) {
    it(`restores the pre-state of a quarantine, a gallery disable and a KYC hold (${drill ? 'drill' : 'production'} levers)`, async () => {
      const n = drill ? 2 : 1;
      const id = `INC-MEDIA-REL-${n}`;
      const catalogKey = `${CATALOG}/r/l/rel-${n}.jpg`;
      const kycKey = `kyc/app-rel-${n}/selfie.jpg`;
      const valueId = 900 + n;
      await upload(catalogKey, 40_000 + n, { 'tourniquet:media-verdict': 'synthetic' });
      await upload(kycKey, 41_000 + n, { owner: 'kyc', 'tourniquet:media-verdict': 'synthetic' });
      await seedGallery([{ valueId, file: `/r/l/rel-${n}.jpg`, disabled: [0, 0, 1] }]);
      rt.kyc.seed([{ id: `app-rel-${n}`, status: 'pending_review' }]);
      await openIncident(id, drill, [
        { mediaObject: uri(catalogKey) },
        { mediaObject: uri(kycKey), applicant: `kyc:app-rel-${n}` },
      ]);
      const before = { catalog: await tags(catalogKey), kyc: await tags(kycKey) };

      expect((await respond(id, drill)).status).toBe('SUCCEEDED');
      const actions = Object.fromEntries(
        (await store.listActions(id)).map((a) => [a.action, a.status]),
      );
      expect(actions).toMatchObject({
        'media.quarantine-object': 'executed',
        'media.disable-catalog-image': 'executed',
        'kyc.hold-applicant': 'executed',
      });
      expect((await tags(catalogKey))[QUARANTINE_TAG]).toBe('held');
      expect((await tags(kycKey))[QUARANTINE_TAG]).toBe('held');
      expect(await gallery([valueId])).toEqual([
        `${valueId}/0=1`,
        `${valueId}/1=1`,
        `${valueId}/2=1`,
      ]);
      expect(rt.kyc.applications.get(`app-rel-${n}`)?.status).toBe('on_hold');

      expect(await release(id, 'media.quarantine-object')).toMatchObject({ restored: 2 });
      expect(await release(id, 'media.disable-catalog-image')).toMatchObject({ restored: 2 });
      expect(await release(id, 'kyc.hold-applicant')).toMatchObject({ restored: 1 });

      expect(await tags(catalogKey)).toEqual(before.catalog);
      expect(await tags(kycKey)).toEqual(before.kyc);
      // store view 2 was disabled before containment and stays disabled
      expect(await gallery([valueId])).toEqual([
        `${valueId}/0=0`,
        `${valueId}/1=0`,
        `${valueId}/2=1`,
      ]);
      expect(rt.kyc.applications.get(`app-rel-${n}`)?.status).toBe('pending_review');
      const released = await store.listActions(id);
      expect(released.map((a) => a.status)).toEqual(['released', 'released', 'released']);
      const timeline = await store.readTimeline(id);
      expect(timeline.filter((e) => e.type === 'containment.released')).toHaveLength(3);
    });
  }
});

describe('images flagged after containment ran (IncidentUpdated → incremental pass, local runtime)', () => {
  /** A check-media verdict as an Alert on the tourniquet bus (triage, then the bus rules). */
  const verdict = async (alertId: string, key: string) => {
    const res = await CONTAINMENT_INJECTORS['bus-alert']!(
      rt,
      {
        event: {
          alertId,
          source: 'media-check',
          kind: 'media.synthetic',
          summary: 'catalog image synthetic',
          correlationKeys: { mediaObject: uri(key), dataset: `s3://${bucket}/${CATALOG}/i/n/` },
        },
      },
      rt.clock.now(),
    );
    expect(res.statusCode).toBe(202);
    await rt.idle();
  };
  const incidentOf = async () =>
    (await store.listIncidents(100)).find((i) =>
      i.correlationKeys.includes(`dataset:s3://${bucket}/${CATALOG}/i/n/`),
    )!;

  it('contains each late image once: quarantine + gallery disable per pass, duplicates do nothing, a pass releases through apply-override', async () => {
    const keys = [1, 2, 3].map((i) => `${CATALOG}/i/n/inc-${i}.jpg`);
    for (const [i, key] of keys.entries()) {
      await upload(key, 42_000 + i, { 'tourniquet:media-verdict': 'synthetic' });
      await seedGallery([{ valueId: 950 + i, file: key.slice(CATALOG.length), disabled: [0, 0] }]);
    }
    await verdict('inc-a1', keys[0]!);
    const incident = await incidentOf();
    const id = incident.incidentId;
    const statuses = async () =>
      Object.fromEntries((await store.listActions(id)).map((a) => [a.action, a.status]));
    expect(await statuses()).toEqual({
      'media.quarantine-object': 'executed',
      'media.disable-catalog-image': 'executed',
    });

    // the second and third images are flagged after the playbook's pass completed
    await verdict('inc-a2', keys[1]!);
    await verdict('inc-a3', keys[2]!);
    const pass = (action: string, alertId: string) => passActionKey(action, alertId);
    expect(await statuses()).toEqual({
      'media.quarantine-object': 'executed',
      'media.disable-catalog-image': 'executed',
      [pass('media.quarantine-object', 'inc-a2')]: 'executed',
      [pass('media.disable-catalog-image', 'inc-a2')]: 'executed',
      [pass('media.quarantine-object', 'inc-a3')]: 'executed',
      [pass('media.disable-catalog-image', 'inc-a3')]: 'executed',
    });
    for (const key of keys) expect((await tags(key))[QUARANTINE_TAG]).toBe('held');
    expect(await gallery([950, 951, 952])).toEqual([
      '950/0=1',
      '950/1=1',
      '951/0=1',
      '951/1=1',
      '952/0=1',
      '952/1=1',
    ]);

    // a second verdict on an image already contained (e.g. the vendor detector) changes nothing
    const before = (await store.readTimeline(id)).length;
    await verdict('inc-a2-vendor', keys[1]!);
    const after = await store.readTimeline(id);
    expect(after.slice(before).map((e) => e.type)).toEqual(['alert.received']);
    expect(Object.keys(await statuses())).toHaveLength(6);
    const changed = (await store.listActions(id)).map(
      (a) => (a.result as { changed: number }).changed,
    );
    expect(changed.reduce((x, y) => x + y, 0)).toBe(3 + 6);
    expect((await store.getIncident(id))?.status).toBe('contained');

    // one late image is released through the console path; the others stay contained
    const q = pass('media.quarantine-object', 'inc-a3');
    const d = pass('media.disable-catalog-image', 'inc-a3');
    expect(await release(id, q)).toMatchObject({ restored: 1 });
    expect(await release(id, d)).toMatchObject({ restored: 2 });
    expect(await tags(keys[2]!)).toEqual({ 'tourniquet:media-verdict': 'synthetic' });
    expect((await tags(keys[1]!))[QUARANTINE_TAG]).toBe('held');
    expect(await gallery([951, 952])).toEqual(['951/0=1', '951/1=1', '952/0=0', '952/1=0']);
  });
});
