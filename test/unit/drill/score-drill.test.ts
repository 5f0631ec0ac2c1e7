import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BundledScenarios } from '#adapters/drill/bundled-scenarios.ts';
import type { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { injectDrillStep, prepareDrill } from '#use-cases/drill/run-drill.ts';
import { triageAlert } from '#use-cases/triage-alert.ts';
import { buildDeps, makeHandler } from '../../../functions/score-drill.ts';
import { startStore } from '../../integration/ingest/dynalite.ts';

/**
 * score-drill with the incident table on dynalite (what the pipeline recorded) and S3 mocked
 * (aws-sdk-client-mock): the evidence bucket receives the drill report under drill-reports/.
 */
const s3 = mockClient(S3Client);
let db: Awaited<ReturnType<typeof startStore>>;
let store: DynamoIncidentStore;
let now = new Date('2026-03-02T06:00:00.000Z');
const clock = { now: () => now };
const emf: string[] = [];
// biome-ignore lint/suspicious/noExplicitAny: the outputs are checked field by field
let invoke: (e: unknown) => Promise<any>;
const ctx = { functionName: 'score-drill', awsRequestId: 'r' } as Context;
const scenarios = new BundledScenarios();

beforeAll(async () => {
  db = await startStore('tourniquet-incidents-drill');
  store = db.store;
  const rt: RuntimeConfig = {
    env: { INCIDENT_TABLE: 'tourniquet-incidents-drill', EVIDENCE_BUCKET: 'tq-evidence' },
    aws: {
      region: 'us-east-1',
      endpoints: { dynamodb: db.endpoint },
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    },
    secret: async () => '',
    clock,
  };
  const h = makeHandler(buildDeps(rt, (l) => emf.push(l)));
  invoke = (e) => h(e, ctx) as Promise<never>;
});
afterAll(async () => db?.stop());
beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  emf.length = 0;
});

/** A drill run of gateway-fraud-burst whose alerts went through the real triage. */
async function triagedRun(storefront: 'up' | 'down') {
  now = new Date(now.getTime() + 86_400_000);
  const published: unknown[] = [];
  const publisher = {
    publish: async (es: Array<{ detail: unknown }>) =>
      void published.push(...es.map((e) => e.detail)),
  };
  const { run, steps } = prepareDrill(
    { scenarios, clock },
    {
      scenario: 'gateway-fraud-burst',
      storefront,
      drill: true,
      settleSeconds: 300,
      maxSettleChecks: 3,
    },
  );
  const injected = [];
  for (const s of steps)
    injected.push(
      await injectDrillStep(
        { scenarios, clock, publisher },
        { runId: run.runId, scenario: run.scenario, index: s.index },
      ),
    );
  return { run, injected, published };
}

async function triage(alerts: unknown[]) {
  let incidentId = '';
  for (const a of alerts)
    ({ incidentId } = await triageAlert(
      { store, clock, correlationWindowMinutes: 60, publisher: { publish: async () => undefined } },
      a as never,
    ));
  return incidentId;
}

async function contain(incidentId: string, statuses: Record<string, 'executed' | 'escalated'>) {
  for (const [action, status] of Object.entries(statuses)) {
    await store.putAction({ incidentId, action, status, updatedAt: clock.now().toISOString() });
    await store.appendTimeline(incidentId, {
      type: status === 'executed' ? 'containment.executed' : 'escalation.raised',
      at: clock.now().toISOString(),
      actor: 'execute-containment',
      summary: action,
      data: { action },
    });
  }
  await store.appendTimeline(incidentId, {
    type: 'containment.completed',
    at: clock.now().toISOString(),
    actor: 'close-containment',
    summary: 'done',
    data: {},
  });
}

const STRIPE = [
  'stripe.disable-unknown-webhook-endpoints',
  'stripe.cancel-open-payment-intents',
  'stripe.block-card-fingerprints',
];

describe('score-drill', () => {
  it('waits while the injected alerts are not triaged yet (no report written)', async () => {
    const { run, injected } = await triagedRun('up');
    const out = await invoke({ run, injected });
    expect(out).toMatchObject({ runId: run.runId, checks: 1, settled: false });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('scores a settled run from the record and writes its report under drill-reports/', async () => {
    const { run, injected, published } = await triagedRun('up');
    const incidentId = await triage(published);
    // not settled while containment runs
    expect((await invoke({ run, injected })).settled).toBe(false);
    await contain(incidentId, Object.fromEntries(STRIPE.map((a) => [a, 'executed' as const])));
    const out = await invoke({ run: { ...run, checks: 1 }, injected });
    expect(out).toMatchObject({ settled: true, passed: true, failures: [], incidentId, checks: 2 });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const base = `drill-reports/${run.startedAt.slice(0, 10)}/${run.runId}`;
    expect(puts.map((p) => p.Key)).toEqual([`${base}.json`, `${base}.md`, `${base}.html`]);
    expect(out.reports).toEqual(puts.map((p) => p.Key));
    for (const p of puts) {
      expect(p.Bucket).toBe('tq-evidence');
      expect(new URLSearchParams(p.Tagging).get('tourniquet:drill')).toBe('true');
      expect(p.ChecksumSHA256).toBeTruthy();
    }
    expect(String(puts[2]!.Body)).toContain('Drill score');
    const json = JSON.parse(String(puts[0]!.Body));
    expect(json.score.actions.actual.sort()).toEqual([...STRIPE].sort());
    expect(emf).toHaveLength(1);
    const m = JSON.parse(emf[0]!);
    expect(m._aws.CloudWatchMetrics[0].Namespace).toBe('Tourniquet/Drill');
    expect(m).toMatchObject({ Scenario: 'gateway-fraud-burst', DrillPassed: 1 });
  });

  it('fails a run whose expected containment did not execute, and one not injected in full', async () => {
    const { run, injected, published } = await triagedRun('up');
    const incidentId = await triage(published);
    await contain(incidentId, {
      [STRIPE[0]!]: 'executed',
      [STRIPE[1]!]: 'escalated',
    });
    const partial = injected.map((i) =>
      i.index === 1 ? { index: 1, error: { Error: 'RetryableError', Cause: 'x' } } : i,
    );
    const out = await invoke({ run, injected: partial });
    expect(out.passed).toBe(false);
    expect(out.failures).toEqual(
      expect.arrayContaining([
        'injection 1 failed: RetryableError',
        `containment ${STRIPE[1]} is escalated`,
        `containment ${STRIPE[2]} did not run`,
      ]),
    );
    expect(JSON.parse(emf[0]!)).toMatchObject({ DrillPassed: 0 });
  });

  it('storefront down: the expected escalations are what passes', async () => {
    const { run, injected, published } = await triagedRun('down');
    const incidentId = await triage(published);
    await contain(incidentId, Object.fromEntries(STRIPE.map((a) => [a, 'escalated' as const])));
    const out = await invoke({ run, injected });
    expect(out).toMatchObject({ settled: true, passed: true, storefront: 'down' });
  });

  it('finds the incident of a media injection by its flagged object and reports what AWS cannot reproduce', async () => {
    now = new Date(now.getTime() + 86_400_000);
    const { run } = prepareDrill(
      { scenarios, clock },
      {
        scenario: 'deepfake-kyc-upload',
        storefront: 'up',
        drill: true,
        settleSeconds: 300,
        maxSettleChecks: 3,
      },
    );
    const object = `s3://tq-media/drill/${run.runId}/kyc/app-4711/selfie.jpg`;
    const injected = [
      {
        index: 0,
        via: 'media-upload',
        injected: true,
        alertIds: [],
        incidentKeys: [`mediaObject:${object}`],
        notes: ['Rekognition answers are local fixtures'],
      },
    ];
    // check-media has not flagged the object yet: not settled, nothing written
    expect((await invoke({ run, injected })).settled).toBe(false);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    const at = clock.now().toISOString();
    const incidentId = await triage([
      {
        schemaVersion: 1,
        alertId: `media-synthetic-${run.runId.length}`,
        source: 'media-check',
        kind: 'media.synthetic',
        severityHint: 'high',
        occurredAt: at,
        receivedAt: at,
        sourceEventId: 'f'.repeat(64),
        summary: 'kyc-selfie image synthetic',
        correlationKeys: { mediaObject: object, applicant: 'kyc:app-4711' },
        evidence: { sha256: 'f'.repeat(64), bytes: 1 },
        drill: true,
      },
    ]);
    await contain(incidentId, {
      'media.quarantine-object': 'executed',
      'kyc.hold-applicant': 'executed',
    });
    const out = await invoke({ run: { ...run, checks: 1 }, injected });
    // scored from this incident (its containment is judged as for any drill)
    expect(out).toMatchObject({ settled: true, incidentId, checks: 2 });
    expect(out.failures.filter((f: string) => /raised no incident|not settled/.test(f))).toEqual(
      [],
    );
    expect(out.notes).toEqual([
      'injection 0 (media-upload): Rekognition answers are local fixtures',
    ]);
    const json = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body));
    expect(json.notes).toEqual(out.notes);
  });

  it('a drill object nobody flagged fails the run once its checks are used up', async () => {
    now = new Date(now.getTime() + 86_400_000);
    const { run } = prepareDrill(
      { scenarios, clock },
      {
        scenario: 'magento-customer-export-leak',
        storefront: 'up',
        drill: true,
        settleSeconds: 300,
        maxSettleChecks: 2,
      },
    );
    const injected = [
      {
        index: 0,
        via: 'media-upload',
        injected: true,
        alertIds: [],
        incidentKeys: [`mediaObject:s3://tq-media/drill/${run.runId}/never.jpg`],
        notes: [],
      },
    ];
    const out = await invoke({ run: { ...run, checks: 1 }, injected });
    expect(out.passed).toBe(false);
    expect(out.failures).toEqual(
      expect.arrayContaining([
        `injection 0: s3://tq-media/drill/${run.runId}/never.jpg raised no incident (not flagged by check-media, or not triaged)`,
      ]),
    );
    // what only the local drill judges is said, not silently skipped
    expect(out.notes.join('\n')).toMatch(
      /expect\.customerNotifications is judged on the local runtime only/,
    );
  });

  it('waits for an incremental containment pass planned after the playbook pass; a pass counts as its action', async () => {
    const { run, injected, published } = await triagedRun('up');
    const incidentId = await triage(published);
    const at = () => clock.now().toISOString();
    const plan = (pass: string, actions: string[]) =>
      store.appendTimeline(incidentId, {
        type: 'containment.planned',
        at: at(),
        actor: 'plan-containment',
        summary: pass,
        data: {
          pass,
          actions,
          autonomy: Object.fromEntries(actions.map((a) => [a, 'contain-suspected'])),
        },
      });
    await plan('full', STRIPE);
    await contain(incidentId, Object.fromEntries(STRIPE.map((a) => [a, 'executed' as const])));
    // a later alert's pass (deepfake playbooks) waits for its approval: not settled yet
    const pass = `${STRIPE[0]}#0123456789ab`;
    await plan('incremental', [pass]);
    await store.putAction({
      incidentId,
      action: pass,
      status: 'awaiting-approval',
      pending: { kind: 'approval', taskToken: 'token', since: at() },
      updatedAt: at(),
    });
    expect((await invoke({ run, injected })).settled).toBe(false);
    await store.putAction({ incidentId, action: pass, status: 'executed', updatedAt: at() });
    const out = await invoke({ run: { ...run, checks: 1 }, injected });
    expect(out).toMatchObject({ settled: true, passed: true, failures: [] });
    const json = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body));
    expect(json.score.actions).toMatchObject({ missing: [], unexpected: [] });
    expect(json.score.actions.actual.sort()).toEqual([...STRIPE].sort());
  });

  it('scores a run that never settles once its checks are used up', async () => {
    const { run, injected } = await triagedRun('up');
    const out = await invoke({ run: { ...run, checks: 2 }, injected });
    expect(out).toMatchObject({ settled: true, passed: false, checks: 3, incidentId: null });
    expect(out.failures[0]).toMatch(/had not settled after 3 check/);
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `drill-reports/${run.startedAt.slice(0, 10)}/${run.runId}.json`,
    ]);
  });
});
