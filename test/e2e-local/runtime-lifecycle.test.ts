import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import { attachDrillOperator } from '../../infra/local/drill-operator.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';

/** MaxAttempts of ExecuteAction's RetryableError retrier in the respond machine. */
function retryableAttempts(): number {
  const asl = JSON.parse(readFileSync('state-machines/respond.asl.json', 'utf8'));
  const find = (states: Record<string, any>): any => {
    for (const [name, st] of Object.entries(states)) {
      if (name === 'ExecuteAction') return st;
      const inner = st.ItemProcessor?.States ?? st.Iterator?.States;
      const hit = inner && find(inner);
      if (hit) return hit;
    }
  };
  const retry = (
    find(asl.States).Retry as Array<{ ErrorEquals: string[]; MaxAttempts: number }>
  ).find((r) => r.ErrorEquals.includes('RetryableError'));
  return retry?.MaxAttempts ?? 0;
}

const canConnect = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const s = connect({ host: hostname, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('local runtime lifecycle', () => {
  it('starts every stand-in on loopback and frees every port on stop', async () => {
    const rt = await LocalRuntime.start({ stage: 'drill' });
    const urls = Object.values(rt.endpoints);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const u of urls) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await Promise.all(urls.map(canConnect))).toEqual(urls.map(() => true));
    await rt.stop();
    expect(await Promise.all(urls.map(canConnect))).toEqual(urls.map(() => false));
  });

  it('escalates, never continues silently, when the gateway keeps failing', async () => {
    const rt = await LocalRuntime.start({ stage: 'drill' });
    // Escalations wait on a task token (respond.asl.json EscalateAction): the human here declines
    // (skips) every escalation and grants approvals, as in a drill.
    attachDrillOperator(rt);
    try {
      rt.stripe.seed({ intents: [{ id: 'pi_f', status: 'requires_capture', customer: 'cus_f' }] });
      rt.stripe.mode = 'failing';
      const body = JSON.stringify({
        id: 'evt_fail_1',
        type: 'radar.early_fraud_warning.created',
        created: Math.floor(rt.clock.now().getTime() / 1000),
        data: { object: { charge: { customer: 'cus_f' }, payment_intent: 'pi_f' } },
      });
      const sig = signStripePayload(
        body,
        rt.secret('StripeWebhookSecret'),
        Math.floor(rt.clock.now().getTime() / 1000),
      );
      const res = (await rt.invokeFunction('ingest-stripe-webhook', {
        headers: { 'stripe-signature': sig },
        body,
      })) as { statusCode: number };
      expect(res.statusCode).toBe(200);
      await rt.idle();
      const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
      const [incident] = await store.listIncidents();
      expect(incident?.status).toBe('escalated');
      const timeline = await store.readTimeline(incident!.incidentId);
      const escalations = timeline.filter((e) => e.type === 'escalation.raised');
      const stripeEscalations = escalations.filter((e) =>
        /execute-containment:stripe\./.test(e.actor),
      );
      // every Stripe action escalated with the retryable error it kept hitting (after its retries)
      expect(stripeEscalations.map((e) => e.data?.error)).toEqual([
        'RetryableError',
        'RetryableError',
        'RetryableError',
      ]);
      // retried with backoff before escalating: several 503s per action
      // (each action's first call plus its RetryableError retries from respond.asl.json)
      const retries = retryableAttempts();
      expect(retries).toBeGreaterThanOrEqual(2);
      expect(rt.stripe.calls.filter((c) => c.status === 503).length).toBeGreaterThanOrEqual(
        3 * (1 + retries),
      );
      expect(rt.stripe.intents.get('pi_f')?.status).toBe('requires_capture');
    } finally {
      await rt.stop();
    }
  });
});
