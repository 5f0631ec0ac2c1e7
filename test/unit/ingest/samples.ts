import { createHmac } from 'node:crypto';
import { adyenHmac, adyenSigningString } from '#domain/webhooks/adyen-hmac.ts';
import { signBraintreePayload } from '#domain/webhooks/braintree-signature.ts';
import { hexHmac } from '#domain/webhooks/hmac-digest.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import { ADOBE_PATHS, KEYS, NOW, NOW_S, rsaSign, urlEvent } from './helpers.ts';

/** Valid, signed requests for every source (the tests tamper with them). */
export const sample = {
  adobeIo(over: Record<string, unknown> = {}) {
    const body = JSON.stringify({
      specversion: '1.0',
      type: 'com.adobe.commerce.observer.admin_user_authenticate_after',
      source: 'urn:uuid:1f0c',
      id: 'a1b2c3',
      event_id: 'evt-adobe-1',
      time: '2026-03-02T09:59:00.000Z',
      datacontenttype: 'application/json',
      recipient_client_id: KEYS.adobeClientId,
      data: {
        key: 'k',
        value: { user_id: 7, remote_ip: '203.0.113.9' },
        source: 'p.env',
        _metadata: {},
      },
      ...over,
    });
    return {
      body,
      headers: {
        'x-adobe-digital-signature-1': rsaSign(body, KEYS.adobe1.privateKey),
        'x-adobe-digital-signature-2': rsaSign(body, KEYS.adobe2.privateKey),
        'x-adobe-public-key1-path': ADOBE_PATHS.key1,
        'x-adobe-public-key2-path': ADOBE_PATHS.key2,
      } as Record<string, string>,
    };
  },
  commerce(over: Record<string, unknown> = {}, mode: 'base64' | 'raw' = 'base64') {
    const body = JSON.stringify({
      eventName: 'observer.admin_system_config_export',
      data: { user_id: 3, created_at: '2026-03-02 09:58:00' },
      ...over,
    });
    const signed = mode === 'base64' ? Buffer.from(body).toString('base64') : body;
    return {
      body,
      headers: {
        'x-adobe-commerce-webhook-signature': rsaSign(signed, KEYS.commerce.privateKey),
      } as Record<string, string>,
    };
  },
  adyen(items: Array<Record<string, unknown>> = [{}], key = KEYS.adyenHex) {
    const notificationItems = items.map((over, i) => {
      const item: Record<string, unknown> = {
        pspReference: `PSP${1000 + i}`,
        merchantAccountCode: 'TourniquetECOM',
        merchantReference: `10000${i}`,
        amount: { value: 1999, currency: 'EUR' },
        eventCode: 'NOTIFICATION_OF_FRAUD',
        eventDate: '2026-03-02T09:00:00+01:00',
        success: 'true',
        additionalData: { shopperReference: '42', totalFraudScore: '85' },
        ...over,
      };
      const sig = adyenHmac(key, adyenSigningString(item as never));
      item.additionalData = { ...(item.additionalData as object), hmacSignature: sig };
      return { NotificationRequestItem: item };
    });
    return {
      body: JSON.stringify({ live: 'false', notificationItems }),
      headers: {} as Record<string, string>,
    };
  },
  braintree(
    kind = 'dispute_opened',
    timestamp = '2026-03-02T09:30:00Z',
    privateKey = KEYS.braintree.privateKey,
  ) {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<notification><timestamp type="datetime">${timestamp}</timestamp><kind>${kind}</kind><subject><dispute><id>dp_123</id><transaction><id>tx_9</id><order-id>100000321</order-id><customer-id>cust_1</customer-id></transaction></dispute></subject></notification>`;
    const payload = `${Buffer.from(xml).toString('base64')}\n`;
    const sig = signBraintreePayload(payload, KEYS.braintree.publicKey, privateKey);
    return {
      body: new URLSearchParams({ bt_signature: sig, bt_payload: payload }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } as Record<string, string>,
    };
  },
  ecomscan(over: Record<string, unknown> = {}, secret = KEYS.ecomscan) {
    const body = JSON.stringify({
      id: 'scan-77',
      site: 'shop.example.com',
      created_at: '2026-03-02T09:00:00Z',
      findings: [
        {
          type: 'skimmer',
          severity: 'critical',
          path: 'pub/media/x.js',
          rule: 'cc-skimmer-generic',
        },
      ],
      ...over,
    });
    return {
      body,
      headers: { 'x-ecomscan-signature': hexHmac(body, secret) } as Record<string, string>,
    };
  },
  kyc(answer: 'GREEN' | 'RED' = 'RED', over: Record<string, unknown> = {}, secret = KYC()) {
    const body = JSON.stringify({
      applicantId: '5cb56e8e0a975a35f333cb83',
      inspectionId: '5cb56e8e0a975a35f333cb84',
      correlationId: 'req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4',
      externalUserId: 'customer-1001',
      levelName: 'basic-kyc-level',
      type: 'applicantReviewed',
      reviewResult:
        answer === 'GREEN'
          ? { reviewAnswer: 'GREEN' }
          : {
              reviewAnswer: 'RED',
              rejectLabels: ['FORGERY', 'SELFIE_MISMATCH'],
              reviewRejectType: 'FINAL',
            },
      reviewStatus: 'completed',
      createdAtMs: answer === 'GREEN' ? '2026-03-02 09:10:00.000' : '2026-03-02 09:40:00.000',
      ...over,
    });
    return {
      body,
      headers: {
        'x-payload-digest': createHmac('sha256', secret).update(body).digest('hex'),
        'x-payload-digest-alg': 'HMAC_SHA256_HEX',
      } as Record<string, string>,
    };
  },
  magentoLog(records: Array<Record<string, unknown>>, t = NOW_S, secret = KEYS.magentoLog) {
    const body = JSON.stringify({ batchId: 'b-1', instance: 'prod-eu', records });
    return {
      body,
      headers: { 'x-tourniquet-signature': signStripePayload(body, secret, t) } as Record<
        string,
        string
      >,
    };
  },
  stripe(type = 'radar.early_fraud_warning.created', t = NOW_S, secret = KEYS.stripe) {
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type,
      created: NOW_S - 30,
      data: {
        object: {
          id: 'issfr_1',
          charge: 'ch_1',
          payment_intent: 'pi_1',
          fraud_type: 'made_with_stolen_card',
        },
      },
    });
    return {
      body,
      headers: { 'stripe-signature': signStripePayload(body, secret, t) } as Record<string, string>,
    };
  },
};

function KYC() {
  return KEYS.kyc;
}

export const ev = (s: { body: string; headers: Record<string, string> }) =>
  urlEvent(s.body, s.headers);
export { NOW };
