import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { type Alert, AlertSchema } from '#contracts/alert.ts';
import { DETAIL_TYPE } from '#contracts/events.ts';
import { OverrideInputSchema } from '#contracts/overrides.ts';
import type { CatalogMedia, GalleryValueRow, KycVendor } from '#ports/media-containment.ts';
import type { MediaObjects } from '#ports/media-objects.ts';
import { executeAction, releaseAction } from '#use-cases/containment/execute-action.ts';
import type { LeverPorts } from '#use-cases/containment/levers.ts';
import { QUARANTINE_TAG } from '#use-cases/containment/levers-media.ts';
import { closeContainment, passActionKey, planContainment } from '#use-cases/containment/plan.ts';
import { triageAlert } from '#use-cases/triage-alert.ts';
import { startStore } from '../../integration/ingest/dynalite.ts';

/**
 * Incremental containment of the deepfake playbook: the real triage, plan, execute, close and
 * release use cases on dynalite, the real media levers on in-memory media ports that count every
 * change (so "never acts twice" is observable).
 */
class MemoryObjects implements MediaObjects {
  readonly tags = new Map<string, Record<string, string>>();
  readonly copies: string[] = [];
  readonly tagWrites: string[] = [];
  put(bucket: string, key: string, tags: Record<string, string> = {}) {
    this.tags.set(`${bucket}/${key}`, { ...tags });
  }
  async get(): Promise<Uint8Array> {
    return new Uint8Array();
  }
  async getTags(bucket: string, key: string) {
    return { ...(this.tags.get(`${bucket}/${key}`) ?? {}) };
  }
  async putTags(bucket: string, key: string, tags: Record<string, string>) {
    this.tagWrites.push(`${bucket}/${key}`);
    this.tags.set(`${bucket}/${key}`, { ...(this.tags.get(`${bucket}/${key}`) ?? {}), ...tags });
  }
  async replaceTags(bucket: string, key: string, tags: Record<string, string>) {
    this.tags.set(`${bucket}/${key}`, { ...tags });
  }
  async list() {
    return [];
  }
  async copy(from: { bucket: string; key: string }, to: { bucket: string; key: string }) {
    this.copies.push(`${from.bucket}/${from.key}`);
    this.tags.set(`${to.bucket}/${to.key}`, {});
  }
  async exists(bucket: string, key: string) {
    return this.tags.has(`${bucket}/${key}`);
  }
}

class MemoryCatalog implements CatalogMedia {
  readonly rows: GalleryValueRow[] = [];
  readonly disabledWrites: number[][] = [];
  async galleryRows(files: string[]) {
    return this.rows.filter((r) => files.includes(r.file)).map((r) => ({ ...r }));
  }
  async galleryRowsById(ids: number[]) {
    return this.rows.filter((r) => ids.includes(r.recordId)).map((r) => ({ ...r }));
  }
  async setDisabled(ids: number[], disabled: number) {
    this.disabledWrites.push([...ids]);
    for (const r of this.rows) if (ids.includes(r.recordId)) r.disabled = disabled;
    return ids.length;
  }
}

class MemoryKyc implements KycVendor {
  readonly apps = new Map<string, string>();
  readonly holds: string[] = [];
  async getApplication(id: string) {
    const status = this.apps.get(id);
    if (!status) throw new Error(`no application ${id}`);
    return { id, status };
  }
  async hold(id: string) {
    this.holds.push(id);
    this.apps.set(id, 'on_hold');
  }
  async setStatus(id: string, status: string) {
    this.apps.set(id, status);
  }
}

const MEDIA = 'media';
const uri = (key: string) => `s3://${MEDIA}/${key}`;
let db: Awaited<ReturnType<typeof startStore>>;
let store: DynamoIncidentStore;
let now = new Date('2026-05-01T10:00:00.000Z');
const clock = { now: () => now };
const objects = new MemoryObjects();
const catalog = new MemoryCatalog();
const kyc = new MemoryKyc();
const levers: LeverPorts = {
  stripeKnownWebhookUrls: [],
  stripeBlockListId: 'x',
  media: {
    objects,
    quarantineBucket: 'quarantine',
    catalogPrefix: 'catalog/product',
    catalog,
    kyc,
  },
};
const deps = () => ({ store, clock, levers });
const published: Array<{ detailType: string; detail: { alertId: string; incidentId: string } }> =
  [];

let seq = 0;
function alert(id: string, keys: Alert['correlationKeys']): Alert {
  now = new Date(now.getTime() + 1000);
  return AlertSchema.parse({
    schemaVersion: 1,
    alertId: id,
    source: 'media-check',
    kind: 'media.synthetic',
    severityHint: 'high',
    occurredAt: now.toISOString(),
    receivedAt: now.toISOString(),
    sourceEventId: `e-${++seq}`,
    summary: 'catalog image synthetic',
    correlationKeys: keys,
    evidence: { sha256: 'a'.repeat(64), bytes: 1 },
  });
}

const triage = (a: Alert) =>
  triageAlert(
    {
      store,
      clock,
      correlationWindowMinutes: 600,
      publisher: {
        publish: async (events) => void published.push(...(events as unknown as typeof published)),
      },
    },
    a,
  );

/** What the respond machine does for one pass once every gate is granted. */
async function runPass(incidentId: string, pass?: { mode: 'incremental'; alertId: string }) {
  const plan = await planContainment({ store, clock }, { incidentId, ...(pass ? { pass } : {}) });
  const results = [];
  for (const b of plan.branches)
    for (const a of b.actions) results.push(await executeAction(deps(), a));
  if (plan.actions.length || !pass)
    await closeContainment(
      { store, clock },
      { incidentId, results, pass: pass ?? { mode: 'full' } },
    );
  return { plan, results };
}

function seedCatalogImage(key: string, valueId: number) {
  objects.put(MEDIA, `catalog/product${key}`, { 'tourniquet:media-verdict': 'synthetic' });
  for (const storeId of [0, 1])
    catalog.rows.push({
      recordId: valueId * 10 + storeId,
      valueId,
      storeId,
      file: key,
      disabled: 0,
    });
}

beforeAll(async () => {
  db = await startStore('tourniquet-incidents-incremental');
  store = db.store;
  seedCatalogImage('/a/a/one.jpg', 1);
  seedCatalogImage('/b/b/two.jpg', 2);
  seedCatalogImage('/c/c/three.jpg', 3);
  objects.put(MEDIA, 'kyc/app-7/selfie.jpg', { owner: 'kyc' });
  kyc.apps.set('app-7', 'pending_review');
});
afterAll(async () => db?.stop());

describe('incremental deepfake containment', () => {
  let incidentId = '';
  const ONE = uri('catalog/product/a/a/one.jpg');
  const TWO = uri('catalog/product/b/b/two.jpg');
  const THREE = uri('catalog/product/c/c/three.jpg');
  const SELFIE = uri('kyc/app-7/selfie.jpg');

  it('the playbook pass acts on the targets it claimed; levers without targets are not planned', async () => {
    const declared = await triage(alert('a-one', { mediaObject: ONE, dataset: 'gallery-1' }));
    expect(declared.outcome).toBe('declared');
    incidentId = declared.incidentId;
    const { plan, results } = await runPass(incidentId);
    expect(plan.actions.map((a) => a.action)).toEqual([
      'media.quarantine-object',
      'media.disable-catalog-image',
    ]);
    expect(results.map((r) => [r.action, r.changed])).toEqual([
      ['media.quarantine-object', 1],
      ['media.disable-catalog-image', 2],
    ]);
    const planned = (await store.readTimeline(incidentId)).find(
      (e) => e.type === 'containment.planned',
    );
    expect(planned?.data).toMatchObject({ pass: 'full', noTargets: ['kyc.hold-applicant'] });
    expect((await store.getIncident(incidentId))?.status).toBe('contained');
  });

  it('verdicts that join afterwards are contained by incremental passes with the playbook autonomy', async () => {
    const joined = await triage(alert('a-two', { mediaObject: TWO, dataset: 'gallery-1' }));
    expect(joined).toEqual({ incidentId, outcome: 'updated' });
    const event = published.at(-1)!;
    expect(event.detailType).toBe(DETAIL_TYPE.incidentUpdated);
    const two = await runPass(incidentId, { mode: 'incremental', alertId: event.detail.alertId });
    expect(two.plan.actions.map((a) => a.action)).toEqual([
      passActionKey('media.quarantine-object', 'a-two'),
      passActionKey('media.disable-catalog-image', 'a-two'),
    ]);
    expect(two.results.map((r) => r.changed)).toEqual([1, 2]);

    await triage(
      alert('a-selfie', { mediaObject: SELFIE, applicant: 'kyc:app-7', dataset: 'gallery-1' }),
    );
    const selfie = await runPass(incidentId, { mode: 'incremental', alertId: 'a-selfie' });
    const key = (a: string) => passActionKey(a, 'a-selfie');
    expect(selfie.plan.actions.map((a) => a.action)).toEqual([
      key('media.quarantine-object'),
      key('media.disable-catalog-image'),
      key('kyc.hold-applicant'),
    ]);
    // same autonomy and approval gate as the playbook action at this severity (P2)
    expect(selfie.plan.actions.map((a) => [a.autonomy, a.approval?.required])).toEqual([
      ['contain-suspected', true],
      ['contain-suspected', true],
      ['approval-required', true],
    ]);
    // a KYC upload has no catalog gallery rows
    expect(selfie.results.map((r) => r.changed)).toEqual([1, 0, 1]);
    expect(objects.copies.sort()).toEqual([
      'media/catalog/product/a/a/one.jpg',
      'media/catalog/product/b/b/two.jpg',
      'media/kyc/app-7/selfie.jpg',
    ]);
    expect((await objects.getTags(MEDIA, 'kyc/app-7/selfie.jpg'))[QUARANTINE_TAG]).toBe('held');
    expect(catalog.rows.filter((r) => r.disabled === 1).map((r) => r.valueId)).toEqual([
      1, 1, 2, 2,
    ]);
    expect(kyc.holds).toEqual(['app-7']);
    const entries = await store.readTimeline(incidentId);
    expect(entries.filter((e) => e.type === 'containment.snapshot')).toHaveLength(7);
    expect(entries.at(-1)).toMatchObject({
      type: 'containment.completed',
      data: { pass: 'incremental', executed: 3, alertId: 'a-selfie' },
    });
    expect((await store.getIncident(incidentId))?.status).toBe('contained');
  });

  it('a retried step, a redelivered event and a duplicate verdict never act twice', async () => {
    const before = {
      copies: objects.copies.length,
      tags: objects.tagWrites.length,
      rows: catalog.disabledWrites.length,
      holds: kyc.holds.length,
    };
    const pass = passActionKey('media.quarantine-object', 'a-two');
    // a retried ExecuteAction returns the recorded result
    const again = await executeAction(deps(), {
      incidentId,
      action: pass,
      autonomy: 'contain-suspected',
    });
    expect(again).toMatchObject({ status: 'executed', changed: 1 });
    // a redelivered IncidentUpdated plans nothing
    expect(
      (await runPass(incidentId, { mode: 'incremental', alertId: 'a-two' })).plan.actions,
    ).toEqual([]);
    // a second verdict on already contained objects (the vendor detector) plans nothing
    const dup = await triage(alert('a-two-vendor', { mediaObject: TWO, applicant: 'kyc:app-7' }));
    expect(dup.outcome).toBe('updated');
    expect(
      (await runPass(incidentId, { mode: 'incremental', alertId: 'a-two-vendor' })).plan.actions,
    ).toEqual([]);
    // a redelivered Alert is a triage duplicate: no event at all
    const n = published.length;
    expect((await triage(alert('a-two', { mediaObject: TWO }))).outcome).toBe('duplicate');
    expect(published.length).toBe(n);
    expect({
      copies: objects.copies.length,
      tags: objects.tagWrites.length,
      rows: catalog.disabledWrites.length,
      holds: kyc.holds.length,
    }).toEqual(before);
  });

  it('overlapping passes claim every object once: only the new one is acted on', async () => {
    await triage(alert('a-3x', { mediaObject: THREE, dataset: 'gallery-1' }));
    await triage(alert('a-3y', { mediaObject: THREE, dataset: 'gallery-1' }));
    // both alerts' passes plan at the same time
    const [x, y] = await Promise.all([
      planContainment(
        { store, clock },
        { incidentId, pass: { mode: 'incremental', alertId: 'a-3x' } },
      ),
      planContainment(
        { store, clock },
        { incidentId, pass: { mode: 'incremental', alertId: 'a-3y' } },
      ),
    ]);
    // THREE is held by exactly one of the two passes per lever
    const planned = [...x.actions, ...y.actions].map((a) => a.action.split('#')[0]).sort();
    expect(planned).toEqual(['media.disable-catalog-image', 'media.quarantine-object']);
    for (const a of [...x.actions, ...y.actions]) await executeAction(deps(), a);
    const claims = await store.listClaims(incidentId, 'media.quarantine-object');
    expect(claims.map((c) => c.item).sort()).toEqual([ONE, TWO, THREE, SELFIE].sort());
    expect(objects.copies.filter((c) => c.endsWith('three.jpg'))).toHaveLength(1);
    expect(objects.copies.filter((c) => c.endsWith('one.jpg'))).toHaveLength(1);
    expect(catalog.rows.filter((r) => r.valueId === 3).map((r) => r.disabled)).toEqual([1, 1]);
  });

  it('releasing one pass restores only the objects that pass held', async () => {
    const pass = passActionKey('media.quarantine-object', 'a-selfie');
    // the console accepts a pass's action key
    expect(
      OverrideInputSchema.safeParse({
        override: 'release-action',
        incidentId,
        action: pass,
        approver: 'ops-lead',
        reason: 'false positive on this upload',
      }).success,
    ).toBe(true);
    const out = await releaseAction(deps(), incidentId, pass, 'override:ops-lead');
    expect(out).toEqual({ action: pass, restored: 1, reversible: true });
    expect(await objects.getTags(MEDIA, 'kyc/app-7/selfie.jpg')).toEqual({ owner: 'kyc' });
    for (const held of ['catalog/product/a/a/one.jpg', 'catalog/product/b/b/two.jpg'])
      expect((await objects.getTags(MEDIA, held))[QUARANTINE_TAG]).toBe('held');
    const hold = passActionKey('kyc.hold-applicant', 'a-selfie');
    await releaseAction(deps(), incidentId, hold, 'override:ops-lead');
    expect(kyc.apps.get('app-7')).toBe('pending_review');
  });

  it('the incident stays containing while another pass waits for approval, and a closed incident gets no pass', async () => {
    await store.putAction({
      incidentId,
      action: passActionKey('media.quarantine-object', 'a-pending'),
      status: 'awaiting-approval',
      pending: { kind: 'approval', taskToken: 't', since: now.toISOString() },
      updatedAt: now.toISOString(),
    });
    await closeContainment(
      { store, clock },
      { incidentId, results: [], pass: { mode: 'incremental', alertId: 'a-3x' } },
    );
    expect((await store.getIncident(incidentId))?.status).toBe('containing');
    await store.updateIncident(incidentId, { status: 'closed', updatedAt: now.toISOString() });
    const four = uri('catalog/product/d/d/four.jpg');
    objects.put(MEDIA, 'catalog/product/d/d/four.jpg');
    expect(
      (await triage(alert('a-four', { mediaObject: four, dataset: 'gallery-1' }))).incidentId,
    ).toBe(incidentId);
    expect(
      (
        await planContainment(
          { store, clock },
          { incidentId, pass: { mode: 'incremental', alertId: 'a-four' } },
        )
      ).actions,
    ).toEqual([]);
  });
});
