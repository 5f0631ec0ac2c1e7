import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, BundledScenarios } from '#adapters/drill/bundled-scenarios.ts';
import { AlertSchema } from '#contracts/alert.ts';
import { parseDrillAlertId } from '#contracts/drills.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { buildDeps, makeHandler } from '../../../functions/run-drill.ts';
import { listScenarios, loadScenario } from '../../../infra/local/scenario.ts';

const eb = mockClient(EventBridgeClient);
const NOW = new Date('2026-03-02T06:00:07.123Z');
const rt: RuntimeConfig = {
  env: { EVENT_BUS_NAME: 'tourniquet' },
  aws: { region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
  secret: async () => {
    throw new Error('run-drill reads no secret');
  },
  clock: { now: () => NOW },
};
const ctx = { functionName: 'run-drill', awsRequestId: 'req-1' } as Context;
const handler = makeHandler(buildDeps(rt));
// biome-ignore lint/suspicious/noExplicitAny: the outputs are checked field by field
const invoke = (event: unknown) => handler(event, ctx) as Promise<any>;

const published = () =>
  eb.commandCalls(PutEventsCommand).flatMap((c) =>
    (c.args[0].input.Entries ?? []).map((e) => ({
      bus: e.EventBusName,
      source: e.Source,
      detailType: e.DetailType,
      detail: JSON.parse(e.Detail ?? '{}'),
    })),
  );

beforeEach(() => {
  eb.reset();
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

describe('bundled scenarios', () => {
  it('bundles exactly the files of scenarios/, each identical to what the local drill loads', () => {
    expect(Object.keys(BUNDLED_SCENARIOS).sort()).toEqual(listScenarios());
    const catalog = new BundledScenarios();
    for (const name of listScenarios()) expect(catalog.get(name)).toEqual(loadScenario(name));
    expect(catalog.get('no-such-scenario')).toBeUndefined();
  });
});

describe('run-drill prepare', () => {
  it('plans a run of the requested scenario: run id, waits between the injections', async () => {
    const out = await invoke({
      op: 'prepare',
      request: { scenario: 'gateway-fraud-burst', storefront: 'down', drill: true },
    });
    expect(out.run).toEqual({
      runId: 'gateway-fraud-burst.down.20260302t060007z',
      scenario: 'gateway-fraud-burst',
      storefront: 'down',
      startedAt: NOW.toISOString(),
      settleSeconds: 300,
      maxSettleChecks: 12,
      checks: 0,
    });
    // offsets 0, 20, 25 → waits 0, 20, 5
    expect(out.steps).toEqual([
      { index: 0, via: 'stripe-webhook', waitSeconds: 0 },
      { index: 1, via: 'stripe-webhook', waitSeconds: 20 },
      { index: 2, via: 'stripe-webhook', waitSeconds: 5 },
    ]);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('refuses an unknown scenario and a request that is not a drill', async () => {
    await expect(
      invoke({ op: 'prepare', request: { scenario: 'nope', drill: true } }),
    ).rejects.toMatchObject({ name: 'NonRetryableError', message: /unknown scenario 'nope'/ });
    await expect(
      invoke({ op: 'prepare', request: { scenario: 'gateway-fraud-burst', drill: false } }),
    ).rejects.toMatchObject({ name: 'NonRetryableError', message: /request\.drill/ });
  });
});

describe('run-drill inject', () => {
  const runId = 'gateway-fraud-burst.up.20260302t060007z';

  it('puts a Stripe signal through the real verifier and normaliser as a drill alert of the run', async () => {
    const out = await invoke({ op: 'inject', runId, scenario: 'gateway-fraud-burst', index: 0 });
    const [e, ...more] = published();
    expect(more).toEqual([]);
    expect(e).toMatchObject({ bus: 'tourniquet', source: 'tourniquet.drill', detailType: 'Alert' });
    const alert = AlertSchema.parse(e!.detail);
    expect(alert).toMatchObject({
      alertId: `drill:${runId}:stripe:evt_drill_efw_1`,
      source: 'stripe',
      kind: 'payment.early-fraud-warning',
      drill: true,
      // the event's `created` is the injection time (Stripe has whole seconds)
      occurredAt: '2026-03-02T06:00:07.000Z',
    });
    expect(alert.correlationKeys.cardFingerprints).toEqual(['fp_drill_card_1']);
    expect(parseDrillAlertId(alert.alertId)).toEqual({
      runId,
      scenario: 'gateway-fraud-burst',
      storefront: 'up',
    });
    expect(out).toEqual({
      index: 0,
      via: 'stripe-webhook',
      injected: true,
      alertIds: [alert.alertId],
      incidentKeys: [],
      notes: [],
    });
  });

  it('a replayed webhook is the same alert again (triage deduplicates it)', async () => {
    const first = await invoke({ op: 'inject', runId, scenario: 'gateway-fraud-burst', index: 0 });
    const replay = await invoke({ op: 'inject', runId, scenario: 'gateway-fraud-burst', index: 2 });
    expect(replay.alertIds).toEqual(first.alertIds);
    const other = await invoke({
      op: 'inject',
      runId: 'gateway-fraud-burst.up.20260309t060000z',
      scenario: 'gateway-fraud-burst',
      index: 0,
    });
    expect(other.alertIds[0]).not.toEqual(first.alertIds[0]);
  });

  it('puts every signal record of a Magento log batch on the bus as drill alerts', async () => {
    const out = await invoke({
      op: 'inject',
      runId: 'admin-export-leak.up.20260302t060007z',
      scenario: 'admin-export-leak',
      index: 0,
    });
    const alerts = published().map((p) => AlertSchema.parse(p.detail));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.drill && a.source === 'magento-log')).toBe(true);
    expect(alerts.map((a) => a.alertId)).toEqual(out.alertIds);
    expect(out.alertIds.every((id: string) => id.startsWith('drill:admin-export-leak.up.'))).toBe(
      true,
    );
  });

  it('puts internal-detector alerts on the bus as drill alerts', async () => {
    const out = await invoke({
      op: 'inject',
      runId: 'synthetic-training-set-leak.up.20260302t060007z',
      scenario: 'synthetic-training-set-leak',
      index: 0,
    });
    const [alert] = published().map((p) => AlertSchema.parse(p.detail));
    expect(alert?.drill).toBe(true);
    expect(alert?.kind).toMatch(/^dataset\./);
    expect(out.injected).toBe(true);
  });

  it('without drill data targets, a data injection is reported as not injected, with the reason', async () => {
    const out = await invoke({
      op: 'inject',
      runId: 'deepfake-kyc-upload.up.20260302t060007z',
      scenario: 'deepfake-kyc-upload',
      index: 0,
    });
    expect(out).toMatchObject({ injected: false, alertIds: [], via: 'media-upload' });
    expect(out.reason).toMatch(/no drill data targets/);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('a partially failed PutEvents is retryable, never silent', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure' }],
    });
    await expect(
      invoke({ op: 'inject', runId, scenario: 'gateway-fraud-burst', index: 1 }),
    ).rejects.toMatchObject({ name: 'RetryableError' });
  });

  it('refuses an injection the scenario does not have', async () => {
    await expect(
      invoke({ op: 'inject', runId, scenario: 'gateway-fraud-burst', index: 9 }),
    ).rejects.toMatchObject({ name: 'NonRetryableError' });
  });
});
