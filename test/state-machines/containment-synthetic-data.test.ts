import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { releaseContainment, seedContainment } from '../../infra/local/containment-drill.ts';
import { attachDrillOperator } from '../../infra/local/drill-operator.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';

/**
 * synthetic-data on the local runtime: the dataset quarantine runs through the real S3 adapter
 * against s3rver (object tags) behind the runtime's bucket-policy front (s3rver has no policy API).
 * The pipeline / IAM / Secrets levers have no stand-in here (aws-sdk-client-mock tests cover them):
 * they escalate, and must not block the quarantine.
 */
const BUCKET = 'tq-sm-training-data';
const ROLE = 'arn:aws:iam::000000000000:role/tourniquet-incident-response';
let rt: LocalRuntime;
let store: DynamoIncidentStore;

async function tags(key: string) {
  const s3 = rt.s3();
  try {
    const r = await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
    return Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key, t.Value]));
  } finally {
    s3.destroy();
  }
}

async function openIncident(n: number, prefix: string) {
  const incidentId = `INC-SYN-${n}`;
  const at = rt.clock.now().toISOString();
  await store.createIncident({
    incidentId,
    status: 'open',
    classification: 'synthetic-data',
    severity: 'P1',
    severityRuleVersion: 't',
    playbook: 'synthetic-data',
    correlationKeys: [],
    alertIds: [`a-syn-${n}`],
    openedAt: at,
    updatedAt: at,
    drill: true,
  });
  await store.saveAlert({
    alertId: `a-syn-${n}`,
    incidentId,
    source: 'drill',
    kind: 'dataset.exposed',
    receivedAt: at,
    occurredAt: at,
    severityHint: 'high',
    correlationKeys: { dataset: `s3://${BUCKET}/${prefix}` },
    drill: true,
  });
  return incidentId;
}

async function run(incidentId: string) {
  const ex = rt.startExecution('respond', {
    detail: {
      incidentId,
      classification: 'synthetic-data',
      severity: 'P1',
      playbook: 'synthetic-data',
      drill: true,
    },
  });
  await ex.done;
  return ex;
}

beforeAll(async () => {
  rt = await LocalRuntime.start({
    stage: 'drill',
    context: {
      'tourniquet:containment': { breakGlassRoleArn: ROLE, datasetBuckets: [BUCKET] },
    },
  });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  attachDrillOperator(rt);
  await seedContainment(rt, {
    s3: [
      { bucket: BUCKET, key: 'a/part-0.jsonl', tags: { classification: 'synthetic' } },
      { bucket: BUCKET, key: 'a/part-1.jsonl' },
      { bucket: BUCKET, key: 'b/part-0.jsonl' },
      { bucket: BUCKET, key: 'holdout/real.jsonl' },
    ],
  });
}, 120_000);
afterAll(async () => rt?.stop());

describe('respond / synthetic-data (s3rver + bucket-policy front)', () => {
  it('happy path: bucket policy deny with the incident-response exception, objects tagged; release restores policy and tags exactly', async () => {
    const id = await openIncident(1, 'a/');
    const ex = await run(id);
    expect(ex.status).toBe('SUCCEEDED');
    const actions = await store.listActions(id);
    const q = actions.find((a) => a.action === 'aws.quarantine-dataset');
    expect(q?.status).toBe('executed');
    expect(q?.verification).toEqual({
      ok: true,
      detail: '1/1 bucket policy deny in place, 2/2 object(s) tagged',
    });
    for (const a of [
      'aws.stop-training-pipeline',
      'aws.deactivate-access-keys',
      'aws.rotate-secrets',
    ])
      expect(actions.find((x) => x.action === a)?.status, a).not.toBe('executed');
    const policy = JSON.parse(rt.storefront.s3Policies.policies.get(BUCKET)!) as {
      Statement: Array<{ Effect: string; Resource: unknown; Condition?: unknown }>;
    };
    const deny = policy.Statement.find((s) => s.Effect === 'Deny')!;
    expect(JSON.stringify(deny.Resource)).toContain(`arn:aws:s3:::${BUCKET}/a/*`);
    expect(JSON.stringify(deny.Condition)).toContain(ROLE);
    expect(await tags('a/part-0.jsonl')).toMatchObject({ classification: 'synthetic' });
    expect(Object.values(await tags('a/part-1.jsonl'))).toContain(id);
    expect(await tags('holdout/real.jsonl')).toEqual({});

    const released = await releaseContainment(rt, id);
    expect(released.find((r) => r.action === 'aws.quarantine-dataset')).toMatchObject({
      status: 'released',
      restored: 3,
    });
    expect(rt.storefront.s3Policies.policies.has(BUCKET)).toBe(false);
    expect(await tags('a/part-0.jsonl')).toEqual({ classification: 'synthetic' });
    expect(await tags('a/part-1.jsonl')).toEqual({});
  });

  it('storefront down: the quarantine still executes (nothing here depends on Magento)', async () => {
    rt.setStorefrontDown();
    const s3 = rt.s3();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'b/part-1.jsonl', Body: 'x' }));
    s3.destroy();
    const id = await openIncident(2, 'b/');
    const ex = await run(id);
    expect(ex.status).toBe('SUCCEEDED');
    const q = (await store.listActions(id)).find((a) => a.action === 'aws.quarantine-dataset');
    expect(q?.status).toBe('executed');
    expect(Object.values(await tags('b/part-1.jsonl'))).toContain(id);
    expect((await releaseContainment(rt, id)).every((r) => r.status === 'released')).toBe(true);
  });
});
