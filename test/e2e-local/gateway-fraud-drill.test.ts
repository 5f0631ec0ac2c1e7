import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimelineEntry, verifyChain } from '#domain/timeline.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import { runDrill } from '../../infra/local/drill.ts';
import { attachDrillOperator } from '../../infra/local/drill-operator.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';

describe('drill gateway-fraud-burst (CLI path)', () => {
  it('passes, contains through the gateway simulator and verifies the timeline', async () => {
    const r = await runDrill('gateway-fraud-burst');
    expect(r.failures).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.incidents).toBe(1);
    // Adyen and the Magento payment method are not configured in this scenario: nothing in scope,
    // executed with 0 changes (the approval-required Magento step is approved by the drill operator).
    expect(r.containment.map((a) => [a.action, a.status]).sort()).toEqual([
      ['adyen.deactivate-api-credentials', 'executed'],
      ['adyen.restrict-allowed-origins', 'executed'],
      ['magento.disable-payment-method', 'executed'],
      ['stripe.block-card-fingerprints', 'executed'],
      ['stripe.cancel-open-payment-intents', 'executed'],
      ['stripe.disable-unknown-webhook-endpoints', 'executed'],
    ]);
    const cancel = r.containment.find((a) => a.action === 'stripe.cancel-open-payment-intents');
    expect(cancel?.preState).toEqual({
      intents: [
        { id: 'pi_done', status: 'succeeded' },
        { id: 'pi_open_1', status: 'requires_capture' },
        { id: 'pi_open_2', status: 'requires_payment_method' },
      ],
    });
    expect(r.timeline.verified).toBe(true);
    expect(r.timeline.entries).toBeGreaterThanOrEqual(10);
    // the replayed webhook was answered 200 without a second alert
    expect(JSON.parse(r.webhookResponses[2]!.body)).toMatchObject({ duplicate: true });
    expect(
      r.simulatorCalls.stripe
        .filter((c) => c.method === 'POST' && c.path.endsWith('/cancel'))
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/v1/payment_intents/pi_open_1/cancel', '/v1/payment_intents/pi_open_2/cancel']);
  });
});

describe('local runtime, step by step', () => {
  let rt: LocalRuntime;
  beforeAll(async () => {
    rt = await LocalRuntime.start({ stage: 'drill' });
    // approval gates and escalations wait on task tokens: a drill operator answers them
    attachDrillOperator(rt);
    rt.stripe.seed({
      endpoints: [{ id: 'we_x', url: 'https://unknown.example/hook', status: 'enabled' }],
      intents: [{ id: 'pi_a', status: 'requires_capture', customer: 'cus_a' }],
    });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  const deliver = async (event: object, secret = rt.secret('StripeWebhookSecret')) => {
    const body = JSON.stringify(event);
    const sig = signStripePayload(body, secret, Math.floor(rt.clock.now().getTime() / 1000));
    return (await rt.invokeFunction('ingest-stripe-webhook', {
      headers: { 'stripe-signature': sig },
      body,
      isBase64Encoded: false,
    })) as { statusCode: number; body: string };
  };

  it('rejects a forged webhook with 401, quarantines it, and opens nothing', async () => {
    const res = await deliver(
      { id: 'evt_forged', type: 'charge.dispute.created', created: 1, data: { object: {} } },
      'whsec_wrong',
    );
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ error: 'signature no-match' });
    await rt.idle();
    expect(rt.busEvents).toHaveLength(0);
  });

  it('writes the incident, alert, actions and a verifiable timeline to DynamoDB', async () => {
    const res = await deliver({
      id: 'evt_e2e_1',
      object: 'event',
      type: 'radar.early_fraud_warning.created',
      created: Math.floor(rt.clock.now().getTime() / 1000),
      data: {
        object: {
          id: 'issfr_x',
          charge: { id: 'ch_x', customer: 'cus_a' },
          payment_intent: 'pi_a',
          fraud_type: 'misc',
        },
      },
    });
    expect(res.statusCode).toBe(200);
    await rt.idle();
    const doc = rt.dynamo();
    const rows = (await doc.send(new ScanCommand({ TableName: rt.tableName() }))).Items ?? [];
    const meta = rows.filter((r) => String(r.sk) === 'META');
    expect(meta).toHaveLength(1);
    const incidentId = String(meta[0]!.incidentId);
    expect(meta[0]).toMatchObject({
      classification: 'payment-fraud',
      status: 'contained',
      drill: true,
    });
    expect(
      rows.some((r) => r.pk === `INC#${incidentId}` && r.sk === 'ALERT#stripe:evt_e2e_1'),
    ).toBe(true);
    const actions = rows.filter(
      (r) => r.pk === `INC#${incidentId}` && String(r.sk).startsWith('ACTION#'),
    );
    // the six payment-fraud actions (Stripe ×3, Adyen ×2 and the Magento payment method, unconfigured here)
    expect(actions.map((a) => a.status)).toEqual(Array(6).fill('executed'));
    const tl = await doc.send(
      new QueryCommand({
        TableName: rt.tableName(),
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': `INC#${incidentId}`, ':s': 'TL#' },
      }),
    );
    const entries = (tl.Items ?? []).map((i) => i.entry as TimelineEntry);
    expect(verifyChain(entries)).toMatchObject({ verified: true });
    expect(entries.map((e) => e.type)).toContain('containment.completed');
    // the gateway simulator saw the real containment calls
    expect(rt.stripe.intents.get('pi_a')?.status).toBe('canceled');
    expect(rt.stripe.endpoints.get('we_x')?.status).toBe('disabled');
    // no personal data or secrets in what was stored
    const stored = JSON.stringify(rows);
    expect(stored).not.toMatch(/whsec_|sk_test_/);
  });
});
