import { createHash, randomBytes } from 'node:crypto';
import { type Alert, AlertSchema } from '#contracts/alert.ts';
import {
  type DrillInjected,
  type DrillRequested,
  type DrillRun,
  drillAlertId,
  drillRunId,
} from '#contracts/drills.ts';
import { DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import type { Scenario } from '#contracts/scenario.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import type { Clock } from '#ports/clock.ts';
import type { ScenarioCatalog } from '#ports/drill.ts';
import type { EventPublisher } from '#ports/event-publisher.ts';
import { NonRetryableError } from '#runtime/errors.ts';
import type { VerifyOutcome, WebhookRequest } from '../ingest-webhook.ts';
import { magentoLogVerifier } from '../verify-magento-log.ts';
import { stripeVerifier } from '../verify-stripe.ts';

export interface DrillRunnerDeps {
  scenarios: ScenarioCatalog;
  publisher: EventPublisher;
  clock: Clock;
  /** Secret for signing the drill's own copy of a webhook body (the real verifier then checks it). */
  signingSecret?: () => string;
}

type Step = Scenario['inject'][number];

/**
 * Injections that run in AWS: signals that enter as an Alert on the bus, through the same
 * verifier + normaliser as the ingest handlers. The other kinds seed local stand-ins (generated
 * media with Rekognition fixtures, a data map, a MariaDB "production" database): they are
 * reported as not injected rather than pointed at production data.
 */
export const AWS_INJECTABLE = ['alert-event', 'bus-alert', 'stripe-webhook', 'magento-log-batch'];

/** Plans a drill run from a DrillRequested event: run id, the waits between injections. */
export function prepareDrill(
  deps: Pick<DrillRunnerDeps, 'scenarios' | 'clock'>,
  request: DrillRequested,
): { run: DrillRun; steps: Array<{ index: number; via: string; waitSeconds: number }> } {
  const scenario = deps.scenarios.get(request.scenario);
  if (!scenario)
    throw new NonRetryableError(
      `unknown scenario '${request.scenario}' (known: ${deps.scenarios.names().join(', ')})`,
    );
  const now = deps.clock.now();
  let previous = 0;
  const steps = scenario.inject.map((s, index) => {
    const waitSeconds = Math.max(0, Math.round(s.offsetSeconds - previous));
    previous = Math.max(previous, s.offsetSeconds);
    return { index, via: s.via, waitSeconds };
  });
  return {
    run: {
      runId: drillRunId(scenario.name, request.storefront, now),
      scenario: scenario.name,
      storefront: request.storefront,
      startedAt: now.toISOString(),
      settleSeconds: request.settleSeconds,
      maxSettleChecks: request.maxSettleChecks,
      checks: 0,
    },
    steps,
  };
}

/** Delivers one injection of a drill run; every alert it puts on the bus is `drill: true`. */
export async function injectDrillStep(
  deps: DrillRunnerDeps,
  input: { runId: string; scenario: string; index: number },
): Promise<DrillInjected> {
  const scenario = deps.scenarios.get(input.scenario);
  if (!scenario) throw new NonRetryableError(`unknown scenario '${input.scenario}'`);
  const step = scenario.inject[input.index];
  if (!step)
    throw new NonRetryableError(`scenario ${scenario.name} has no injection ${input.index}`);
  const effective: Step =
    step.replayOf !== undefined ? (scenario.inject[step.replayOf] ?? step) : step;
  const base = { index: input.index, via: step.via };
  if (!AWS_INJECTABLE.includes(effective.via))
    return {
      ...base,
      injected: false,
      alertIds: [],
      reason: `'${effective.via}' seeds local stand-ins (local runtime only); not injectable in AWS`,
    };
  const now = deps.clock.now();
  const sourceIndex = step.replayOf ?? input.index;
  const alerts = (await alertsOf(deps, effective, sourceIndex, now)).map((a) =>
    AlertSchema.parse({ ...a, alertId: drillAlertId(input.runId, a.alertId), drill: true }),
  );
  if (alerts.some((a) => a.drill !== true))
    throw new NonRetryableError('a drill injection produced a non-drill alert');
  await deps.publisher.publish(
    alerts.map((detail) => ({
      source: EVENT_SOURCE.drill,
      detailType: DETAIL_TYPE.alert,
      detail: detail as unknown as Record<string, unknown>,
    })),
  );
  return { ...base, injected: true, alertIds: alerts.map((a) => a.alertId) };
}

async function alertsOf(
  deps: DrillRunnerDeps,
  step: Step,
  index: number,
  now: Date,
): Promise<Alert[]> {
  const e = step.event ?? {};
  const raw = JSON.stringify(e);
  const evidence = {
    sha256: createHash('sha256').update(raw).digest('hex'),
    bytes: Buffer.byteLength(raw),
  };
  if (step.via === 'alert-event' || step.via === 'bus-alert') {
    const id = typeof e.alertId === 'string' ? e.alertId : `step-${index}`;
    return [
      AlertSchema.parse({
        schemaVersion: 1,
        source: 'drill',
        severityHint: 'high',
        occurredAt: now.toISOString(),
        receivedAt: now.toISOString(),
        sourceEventId: id,
        summary: String(e.summary ?? e.kind ?? 'drill alert'),
        correlationKeys: {},
        evidence,
        ...e,
        alertId: id,
        drill: true,
      }),
    ];
  }
  const secret = deps.signingSecret?.() ?? randomBytes(32).toString('hex');
  const ts = Math.floor(now.getTime() / 1000);
  if (step.via === 'stripe-webhook') {
    const body = JSON.stringify({ ...e, created: ts });
    return fromOutcome(
      stripeVerifier(secret, true)(
        signed('stripe', body, 'stripe-signature', signStripePayload(body, secret, ts)),
        evidence,
        now,
      ),
    );
  }
  // magento-log-batch: the log shipper signs like Stripe
  const body = JSON.stringify(e);
  return fromOutcome(
    await magentoLogVerifier({ secret, drill: true, firstSeen: async () => true })(
      signed('magento-log', body, 'x-tourniquet-signature', signStripePayload(body, secret, ts)),
      evidence,
      now,
    ),
  );
}

const signed = (source: string, body: string, header: string, sig: string): WebhookRequest => ({
  source,
  headers: { [header]: sig, 'content-type': 'application/json' },
  rawBody: Buffer.from(body),
  method: 'POST',
});

function fromOutcome(o: VerifyOutcome): Alert[] {
  if (o.kind === 'alert') return [o.alert];
  if (o.kind === 'alerts') return o.items.map((i) => i.alert);
  if (o.kind === 'ignored') return [];
  throw new NonRetryableError(
    `drill injection rejected by the verifier: ${o.kind === 'reject' ? o.reason : o.statusCode}`,
  );
}
