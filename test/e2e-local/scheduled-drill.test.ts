import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DRILL_REQUESTED } from '#contracts/drills.ts';
import { BUS_NAME, EVENT_SOURCE } from '#contracts/events.ts';
import { incidentMetrics } from '#use-cases/incident-metrics.ts';
import { type ContainmentSeed, seedContainment } from '../../infra/local/containment-drill.ts';
import { attachDrillOperator } from '../../infra/local/drill-operator.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';
import { loadScenario } from '../../infra/local/scenario.ts';

/**
 * The AWS path of a scheduled drill on the local runtime: a DrillRequested event (what EventBridge
 * Scheduler puts on the bus) → the rule from the synthesized template → the drill state machine →
 * run-drill injects the scenario's signals as drill alerts → triage, respond (drill mode: the
 * lever functions' DRILL_SANDBOX, here the Stripe simulator) → score-drill writes the report under
 * drill-reports/ in the evidence bucket. The drill operator answers the approval gates: in AWS
 * the contain-suspected gates proceed after their 15-minute timeout, which the local runner does
 * not run on virtual time.
 */
const scenario = loadScenario('gateway-fraud-burst');
let rt: LocalRuntime;

beforeAll(async () => {
  rt = await LocalRuntime.start({
    stage: 'prod',
    context: scenario.context,
    startAt: new Date('2026-03-02T05:00:00Z'),
  });
  // the Stripe test account's fixture (a sandbox the drill expects to find)
  rt.stripe.seed(scenario.seed.stripe!);
  attachDrillOperator(rt);
  settleInRealTime(rt);
});

/**
 * The runner turns the drill's Wait states into virtual time, so its settle waits take no real
 * time; in AWS they do. Each scoring first waits (real time, at most 60 s) until no respond
 * execution is running: what settleSeconds gives the asynchronous path (check-media → triage →
 * respond) in AWS.
 */
function settleInRealTime(r: LocalRuntime) {
  const invoke = r.invokeFunction.bind(r);
  r.invokeFunction = async (name: string, event: unknown) => {
    if (/score-?drill/i.test(name)) {
      const end = Date.now() + 60_000;
      const busy = () =>
        [...r.runner.executions.values()].some(
          (e) => e.stateMachine === 'respond' && e.status === 'RUNNING',
        ) || ![...r.runner.executions.values()].some((e) => e.stateMachine === 'respond');
      while (busy() && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    }
    return invoke(name, event);
  };
}
afterAll(async () => rt?.stop());

async function requestDrill(detail: Record<string, unknown>) {
  const before = new Set(drills().map((e) => e.executionArn));
  const eb = new EventBridgeClient({ ...rt.awsConfig(), endpoint: rt.endpoints.eventbridge });
  try {
    const r = await eb.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: BUS_NAME,
            Source: EVENT_SOURCE.drill,
            DetailType: DRILL_REQUESTED,
            Detail: JSON.stringify({ drill: true, ...detail }),
          },
        ],
      }),
    );
    expect(r.FailedEntryCount).toBe(0);
  } finally {
    eb.destroy();
  }
  // the drill execution ends on its own; respond executions parked on an approval do not
  const deadline = Date.now() + 60_000;
  let exec = drills().find((e) => !before.has(e.executionArn));
  while (!exec && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    exec = drills().find((e) => !before.has(e.executionArn));
  }
  if (!exec) throw new Error('DrillRequested started no drill execution');
  await exec.done;
  return exec;
}

/** The newest JSON drill report in the evidence bucket (to show why a drill failed). */
async function latestReport(scenario: string): Promise<{ score?: { failures: string[] } }> {
  const bucket = rt.functionEnv('score-drill').EVIDENCE_BUCKET!;
  const s3 = rt.s3();
  try {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'drill-reports/' }),
    );
    const key = (listed.Contents ?? [])
      .filter((o) => o.Key?.endsWith('.json') && o.Key.includes(`/${scenario}.`))
      .sort((a, b) => Number(a.LastModified) - Number(b.LastModified))
      .at(-1)?.Key;
    if (!key) return {};
    const o = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await o.Body!.transformToString());
  } finally {
    s3.destroy();
  }
}

const drills = () =>
  [...rt.runner.executions.values()].filter((e) => e.executionArn.includes(':drill:'));

describe('scheduled drill on the local runtime (DrillRequested → drill state machine)', () => {
  it('runs gateway-fraud-burst in drill mode, scores it and writes its report', {
    timeout: 120_000,
  }, async () => {
    const exec = await requestDrill({
      scenario: 'gateway-fraud-burst',
      storefront: 'up',
      maxSettleChecks: 48,
    });
    if (exec.status !== 'SUCCEEDED')
      throw new Error(
        `drill ${exec.error}: ${JSON.stringify((await latestReport('gateway-fraud-burst')).score?.failures)}`,
      );
    expect(exec?.status).toBe('SUCCEEDED');
    const out = exec!.output as {
      runId: string;
      passed: boolean;
      failures: string[];
      incidentId: string;
      reports: string[];
      checks: number;
    };
    expect(out.failures).toEqual([]);
    expect(out.passed).toBe(true);
    expect(out.runId).toMatch(/^gateway-fraud-burst\.up\.20260302t0500\d{2}z$/);

    // the incident is a drill incident, its metrics go to the drill namespace only
    const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
    const incident = await store.getIncident(out.incidentId);
    expect(incident?.drill).toBe(true);
    expect(incident?.alertIds.every((a) => a.startsWith(`drill:${out.runId}:`))).toBe(true);
    const metrics = await incidentMetrics({ store }, { incidentId: out.incidentId });
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.every((m) => m.namespace === 'Tourniquet/Drill')).toBe(true);

    // containment went to the sandbox (the simulator), through the drill levers
    const posts = rt.stripe.calls.filter((c) => c.method === 'POST').map((c) => c.path);
    expect(posts).toEqual(
      expect.arrayContaining([
        '/v1/webhook_endpoints/we_rogue',
        '/v1/payment_intents/pi_open_1/cancel',
        '/v1/payment_intents/pi_open_2/cancel',
      ]),
    );
    expect(posts).not.toContain('/v1/payment_intents/pi_other/cancel');

    // the report is in the evidence bucket under drill-reports/, tagged as a drill
    const bucket = rt.functionEnv('score-drill').EVIDENCE_BUCKET!;
    const s3 = rt.s3();
    try {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'drill-reports/' }),
      );
      const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
      expect(keys).toEqual([...out.reports].sort());
      expect(keys).toEqual(
        ['json', 'md', 'html'].map((x) => `drill-reports/2026-03-02/${out.runId}.${x}`).sort(),
      );
      const html = await (
        await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: `drill-reports/2026-03-02/${out.runId}.html`,
          }),
        )
      ).Body!.transformToString();
      expect(html).toContain('Drill score');
      expect(html).toContain('<svg');
      // (s3rver keeps no tags from PutObject; the tags are checked against the SDK mock in
      // test/unit/drill/score-drill.test.ts) the content hash travels as metadata
      const head = await s3.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: `drill-reports/2026-03-02/${out.runId}.json`,
        }),
      );
      expect(head.Metadata?.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      s3.destroy();
    }
  });
});

/**
 * A data injection on the AWS path: run-drill generates the KYC selfie and ID document, writes
 * them under drill/<run>/ of the media bucket (tagged; the production S3 trigger ignores the
 * prefix) and announces a drill `MediaUploaded`; the real check-media flags the declared
 * generated selfie, triage opens a drill incident and its levers run in drill mode (local
 * sandbox: the quarantine bucket, the KYC simulator).
 */
describe('scheduled drill with a data injection (deepfake-kyc-upload)', () => {
  const kyc = loadScenario('deepfake-kyc-upload');
  beforeAll(async () => {
    await rt?.stop();
    rt = await LocalRuntime.start({
      stage: 'prod',
      context: kyc.context,
      startAt: new Date('2026-03-03T05:00:00Z'),
    });
    await seedContainment(rt, kyc.seed as ContainmentSeed);
    attachDrillOperator(rt);
    settleInRealTime(rt);
  });

  it('injects the generated media under drill/<run>/, check-media raises a drill incident, levers run in drill mode', {
    timeout: 120_000,
  }, async () => {
    const exec = await requestDrill({
      scenario: 'deepfake-kyc-upload',
      storefront: 'up',
      maxSettleChecks: 48,
    });
    const report = await latestReport('deepfake-kyc-upload');
    if (exec.status !== 'SUCCEEDED')
      throw new Error(`drill ${exec.error}: ${JSON.stringify(report.score?.failures)}`);
    const out = exec.output as { runId: string; incidentId: string; notes: string[] };
    // every object of the run is under drill/<run>/ of the media bucket
    const bucket = rt.functionEnv('check-media').MEDIA_BUCKET!;
    const s3 = rt.s3();
    try {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (listed.Contents ?? []).map((o) => o.Key!);
      expect(keys.sort()).toEqual([
        `drill/${out.runId}/kyc/app-4711/id-document.jpg`,
        `drill/${out.runId}/kyc/app-4711/selfie.jpg`,
      ]);
    } finally {
      s3.destroy();
    }
    const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
    const incident = await store.getIncident(out.incidentId);
    expect(incident).toMatchObject({ drill: true, playbook: 'deepfake-media' });
    expect(incident?.correlationKeys).toContain(
      `mediaObject:s3://${bucket}/drill/${out.runId}/kyc/app-4711/selfie.jpg`,
    );
    const actions = await store.listActions(out.incidentId);
    expect(
      actions
        .filter((a) => a.status === 'executed')
        .map((a) => a.action)
        .sort(),
    ).toEqual(expect.arrayContaining(['kyc.hold-applicant', 'media.quarantine-object']));
    expect(rt.kyc.calls.some((c) => c.method !== 'GET' && c.path.includes('app-4711'))).toBe(true);
    // what AWS cannot reproduce is reported with the score
    expect(out.notes.join('\n')).toMatch(/Rekognition answers are local stand-in fixtures/);
  });
});
