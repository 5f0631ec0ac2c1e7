import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { ingestPartnerEvent } from '#use-cases/ingest-partner-event.ts';
import { fakes, handlers, KEYS, NOW_S, urlEvent } from './helpers.ts';
import { ev, sample } from './samples.ts';

const setup = () => {
  const f = fakes();
  return { f, h: handlers(f) };
};

/** The one-line reason of a rejection (and the evidence that it was quarantined). */
async function rejected(route: string, event: ReturnType<typeof urlEvent>, status: number) {
  const { f, h } = setup();
  const res = await h[route]!(event);
  expect(res.statusCode).toBe(status);
  const reason = JSON.parse(res.body).error as string;
  expect(reason).not.toContain('\n');
  expect(reason.length).toBeLessThan(200);
  expect(f.published).toHaveLength(0);
  expect(f.quarantined).toHaveLength(1);
  expect(JSON.parse(f.quarantined[0]!.body).reason).toBe(reason);
  return reason;
}

describe('valid deliveries become one versioned alert each; replays are answered 200 without a second alert', () => {
  const cases: Array<
    [string, () => { body: string; headers: Record<string, string> }, string, RegExp]
  > = [
    ['adobe-io', () => sample.adobeIo(), 'magento.admin-login', /"alertId"/],
    ['commerce', () => sample.commerce(), 'magento.export', /^\{"op":"success"\}$/],
    ['adyen', () => sample.adyen(), 'payment.fraud-notification', /^\[accepted\]$/],
    ['braintree', () => sample.braintree(), 'payment.dispute', /"alertId"/],
    ['ecomscan', () => sample.ecomscan(), 'scanner.malware', /"alertId"/],
    ['kyc', () => sample.kyc('RED'), 'kyc.review-rejected', /"alertId"/],
    ['stripe', () => sample.stripe(), 'payment.early-fraud-warning', /"alertId"/],
    [
      'magento-log',
      () =>
        sample.magentoLog([
          {
            type: 'admin_action',
            log_id: 91,
            action: 'export',
            event_code: 'customer',
            fullaction: 'customer_index_exportCsv',
            user_id: 3,
            ip: 3405803785,
            status: 'success',
            time: '2026-03-02 09:55:00',
          },
        ]),
      'magento.export',
      /"alertIds"/,
    ],
  ];
  it.each(cases)('%s', async (route, make, kind, answer) => {
    const { f, h } = setup();
    const s = make();
    const first = await h[route]!(ev(s));
    expect(first.statusCode).toBe(200);
    expect(first.body).toMatch(answer);
    const alerts = f.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.kind).toBe(kind);
    expect(alerts[0]!.schemaVersion).toBe(1);
    expect(alerts[0]!.evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
    // personal data minimised: no raw e-mail or card number anywhere in the alert
    expect(JSON.stringify(alerts[0])).not.toMatch(/@|\b\d{13,19}\b/);
    const again = await h[route]!(ev(s));
    expect(again.statusCode).toBe(200);
    expect(f.published).toHaveLength(1);
    expect(f.quarantined).toHaveLength(0);
  });
});

describe('per-source details', () => {
  it('adobe-io: registration challenge echoed; foreign recipient_client_id refused 403', async () => {
    const { h } = setup();
    const res = await h['adobe-io']!(
      urlEvent('', {}, { method: 'GET', query: { challenge: 'abc-123' } }),
    );
    expect(res).toEqual({ statusCode: 200, body: '{"challenge":"abc-123"}' });
    await rejected('adobe-io', ev(sample.adobeIo({ recipient_client_id: 'someone-else' })), 403);
  });
  it('adobe-io: either signature may verify; both wrong → 401; tampered → 401', async () => {
    const { f, h } = setup();
    const s = sample.adobeIo();
    s.headers['x-adobe-digital-signature-1'] = sample.adobeIo({ event_id: 'other' }).headers[
      'x-adobe-digital-signature-1'
    ]!;
    expect((await h['adobe-io']!(ev(s))).statusCode).toBe(200);
    expect(f.published).toHaveLength(1);
    const wrong = sample.adobeIo();
    wrong.headers['x-adobe-digital-signature-2'] = wrong.headers['x-adobe-digital-signature-1'] =
      s.headers['x-adobe-digital-signature-1']!;
    await rejected('adobe-io', ev(wrong), 401);
    const t = sample.adobeIo();
    await rejected(
      'adobe-io',
      urlEvent(t.body.replace('203.0.113.9', '203.0.113.8'), t.headers),
      401,
    );
  });
  it('adobe-io: benign subscribed event → 200 without alert; unknown type → 422', async () => {
    const { f, h } = setup();
    const res = await h['adobe-io']!(
      ev(sample.adobeIo({ type: 'com.adobe.commerce.observer.customer_login' })),
    );
    expect(res.statusCode).toBe(200);
    expect(f.published).toHaveLength(0);
    await rejected('adobe-io', ev(sample.adobeIo({ type: 'com.example.unknown' })), 422);
  });
  it('commerce: raw-body signatures accepted too; wrong key → 401', async () => {
    const { f, h } = setup();
    expect((await h.commerce!(ev(sample.commerce({}, 'raw')))).statusCode).toBe(200);
    expect(f.published).toHaveLength(1);
    const s = sample.commerce();
    await rejected('commerce', urlEvent(s.body.replace('3', '4'), s.headers), 401);
  });
  it('adyen: several items, each deduplicated; one bad HMAC rejects the request; wrong key → 401', async () => {
    const { f, h } = setup();
    const s = sample.adyen([{}, { eventCode: 'CHARGEBACK' }, { eventCode: 'AUTHORISATION' }]);
    expect(await h.adyen!(ev(s))).toEqual({ statusCode: 200, body: '[accepted]' });
    expect(f.alerts().map((a) => a.kind)).toEqual([
      'payment.fraud-notification',
      'payment.chargeback',
    ]);
    expect(f.alerts()[0]!.correlationKeys.orderIds).toEqual(['magento:100000']);
    await rejected('adyen', ev(sample.adyen([{}], 'AB'.repeat(32))), 401);
    const tampered = sample.adyen([{}]);
    await rejected('adyen', urlEvent(tampered.body.replace('1999', '2999'), {}), 401);
    await rejected('adyen', ev(sample.adyen([{ eventCode: 'NOTIFICATIONOFFRAUD' }])), 422);
  });
  it('braintree: challenge vector over HTTP; stale and tampered payloads → 401; test kind "check" ignored', async () => {
    const { f, h } = setup();
    const res = await h.braintree!(
      urlEvent(
        '',
        {},
        { method: 'GET', query: { bt_challenge: '20f9f8ed05f77439fe955c977e4c8a53' } },
      ),
    );
    expect(res.body).toBe('integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4');
    await rejected(
      'braintree',
      ev(sample.braintree('dispute_opened', '2026-02-20T00:00:00Z')),
      401,
    );
    await rejected(
      'braintree',
      ev(sample.braintree('dispute_opened', undefined, 'wrong_private_key')),
      401,
    );
    expect((await h.braintree!(ev(sample.braintree('check')))).statusCode).toBe(200);
    expect(f.published).toHaveLength(0);
  });
  it('kyc: GREEN and RED are both alerts keyed by the applicant; bad digest → 401', async () => {
    const { f, h } = setup();
    await h.kyc!(ev(sample.kyc('GREEN')));
    await h.kyc!(ev(sample.kyc('RED')));
    const [green, red] = f.alerts();
    expect(green!.severityHint).toBe('low');
    expect(red!.severityHint).toBe('high');
    expect(red!.correlationKeys.applicant).toBe(green!.correlationKeys.applicant);
    await rejected('kyc', ev(sample.kyc('RED', {}, 'other-secret')), 401);
  });
  it('kyc: an e-mail as externalUserId becomes a hash', async () => {
    const { f, h } = setup();
    await h.kyc!(ev(sample.kyc('RED', { externalUserId: 'alice@example.com' })));
    expect(f.alerts()[0]!.correlationKeys.emailHashes?.[0]).toMatch(/^[0-9a-f]{64}$/);
  });
  it('magento-log: export queue, tokens, new-IP logins; stale batch and unknown record types rejected', async () => {
    const { f, h } = setup();
    const s = sample.magentoLog([
      {
        type: 'queue_message',
        id: 5,
        topic_name: 'import_export.export',
        body: '{"entity":"customer","file_format":"csv"}',
        created_at: '2026-03-02 09:50:00',
      },
      {
        type: 'oauth_token',
        entity_id: 12,
        user_type: 1,
        integration_id: 4,
        created_at: '2026-03-02 09:51:00',
      },
      { type: 'oauth_token', entity_id: 13, user_type: 3, customer_id: 99 },
      { type: 'admin_login', user_id: 3, ip: '198.51.100.4', time: '2026-03-02 09:52:00' },
      { type: 'admin_action', log_id: 1, action: 'view', user_id: 3 },
    ]);
    const res = await h['magento-log']!(ev(s));
    expect(res.statusCode).toBe(200);
    expect(f.alerts().map((a) => a.kind)).toEqual([
      'magento.export-queued',
      'magento.token-created',
      'magento.admin-login-new-ip',
    ]);
    // the same admin from the same IP later is not new
    const later = sample.magentoLog([
      { type: 'admin_login', user_id: 3, ip: '198.51.100.4', time: '2026-03-02 09:59:00' },
    ]);
    await h['magento-log']!(ev(later));
    expect(f.published).toHaveLength(3);
    await rejected('magento-log', ev(sample.magentoLog([], NOW_S - 3600)), 401);
    await rejected('magento-log', ev(sample.magentoLog([{ type: 'mystery' }])), 422);
  });
  it('stripe: headers from the official package through the handler; stale header → 401', async () => {
    const { f, h } = setup();
    const s = sample.stripe();
    const header = new Stripe('sk_test_x').webhooks.generateTestHeaderString({
      payload: s.body,
      secret: KEYS.stripe,
      timestamp: NOW_S,
    });
    expect((await h.stripe!(urlEvent(s.body, { 'stripe-signature': header }))).statusCode).toBe(
      200,
    );
    expect(f.published).toHaveLength(1);
    await rejected('stripe', ev(sample.stripe(undefined, NOW_S - 301)), 401);
  });
  it.each([
    'adobe-io',
    'commerce',
    'adyen',
    'braintree',
    'ecomscan',
    'kyc',
    'magento-log',
    'stripe',
  ])('%s: oversized (> 256 KiB) → 413; not JSON / unsigned → 4xx', async (route) => {
    await rejected(route, urlEvent('x'.repeat(256 * 1024 + 1)), 413);
    const { h } = setup();
    const res = await h[route]!(urlEvent('{not json'));
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
  it('a bus failure is a 503 and the delivery is forgotten, so the retry is not taken for a replay', async () => {
    const { f } = setup();
    let fail = true;
    f.base.publisher.publish = async (events) => {
      if (fail) throw new Error('bus down');
      f.published.push(...events);
    };
    const h = handlers(f);
    const s = sample.ecomscan();
    expect((await h.ecomscan!(ev(s))).statusCode).toBe(503);
    fail = false;
    expect((await h.ecomscan!(ev(s))).statusCode).toBe(200);
    expect(f.published).toHaveLength(1);
  });
});

describe('EventBridge partner events (Stripe, Adobe I/O): no signature, same dedup as the webhooks', () => {
  it('publishes once across both paths; quarantines malformed events', async () => {
    const f = fakes();
    const deps = { ...f.base };
    const stripeEvent = JSON.parse(sample.stripe().body);
    const r1 = await ingestPartnerEvent(deps, {
      source: 'aws.partner/stripe.com/ed_test_1',
      'detail-type': stripeEvent.type,
      detail: stripeEvent,
    });
    expect(r1.status).toBe('published');
    // the same Stripe event arriving as a webhook is a replay
    const h = handlers(f);
    await h.stripe!(ev(sample.stripe()));
    expect(f.published).toHaveLength(1);
    const adobe = JSON.parse(sample.adobeIo().body);
    expect(
      (await ingestPartnerEvent(deps, { source: 'aws.partner/adobe.io/x', detail: adobe })).status,
    ).toBe('published');
    expect(
      (await ingestPartnerEvent(deps, { source: 'aws.partner/stripe.com/x', detail: { nope: 1 } }))
        .status,
    ).toBe('rejected');
    expect((await ingestPartnerEvent(deps, { source: 'evil' })).status).toBe('rejected');
    expect(f.quarantined).toHaveLength(2);
    expect(f.published).toHaveLength(2);
  });
});
