import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { hashEmail } from '#domain/pii-hash.ts';
import { isSafeKeyPath, verifyAdobeIoSignature } from '#domain/webhooks/adobe-io-signature.ts';
import {
  adyenHmac,
  adyenKeyValueSigningString,
  adyenSigningString,
  verifyAdyenItem,
} from '#domain/webhooks/adyen-hmac.ts';
import {
  braintreeChallengeResponse,
  sha1HexDigest,
  sha256HexDigest,
  signBraintreePayload,
  verifyBraintreeSignature,
} from '#domain/webhooks/braintree-signature.ts';
import { verifyCommerceWebhookSignature } from '#domain/webhooks/commerce-webhook-signature.ts';
import { hexHmac, verifyHexHmac } from '#domain/webhooks/hmac-digest.ts';
import { verifyStripeSignature } from '#domain/webhooks/stripe-signature.ts';
import { KEYS, rsa, rsaSign } from './helpers.ts';

const ADYEN_KEY = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';

describe('Adyen HMAC (official vectors, adyen-node-api-library hmacValidator.spec.ts)', () => {
  it('vector #1: notification signing string', () => {
    const data = adyenSigningString({
      pspReference: 'pspReference',
      originalReference: 'originalReference',
      merchantAccountCode: 'merchantAccount',
      merchantReference: 'reference',
      amount: { value: 1000, currency: 'EUR' },
      eventCode: 'CAPTURE',
      success: 'true',
    });
    expect(data).toBe(
      'pspReference:originalReference:merchantAccount:reference:1000:EUR:CAPTURE:true',
    );
    expect(adyenHmac(ADYEN_KEY, data)).toBe('xhpHvYq2u2Np0rstbZ6QjLGu7JWhvf7Iwaa6EviJSX0=');
  });

  it('vector #2: generic key/value form with escaping', () => {
    const data = adyenKeyValueSigningString({
      countryCode: 'NL',
      currencyCode: 'EUR',
      merchantAccount: 'MagentoMerchantTest2',
      merchantReference: 'TEST-PAYMENT-2017-02-01-14:02:05',
      paymentAmount: '199',
      sessionValidity: '2017-02-02T14:02:05+01:00',
      skinCode: 'PKz2KML1',
    });
    expect(data).toBe(
      'countryCode:currencyCode:merchantAccount:merchantReference:paymentAmount:sessionValidity:skinCode:NL:EUR:MagentoMerchantTest2:TEST-PAYMENT-2017-02-01-14\\:02\\:05:199:2017-02-02T14\\:02\\:05+01\\:00:PKz2KML1',
    );
    expect(adyenHmac(ADYEN_KEY, data)).toBe('34oR8T1whkQWTv9P+SzKyp8zhusf9n0dpqrm9nsqSJs=');
  });

  const item = {
    pspReference: 'pspReference',
    originalReference: 'originalReference',
    merchantAccountCode: 'merchantAccount',
    merchantReference: 'reference',
    amount: { value: 1000, currency: 'EUR' },
    eventCode: 'CAPTURE',
    success: 'true',
  };
  it('verifies an item, rejects a tampered item, a wrong key and junk signatures', () => {
    const sig = 'xhpHvYq2u2Np0rstbZ6QjLGu7JWhvf7Iwaa6EviJSX0=';
    expect(verifyAdyenItem(item, sig, ADYEN_KEY)).toBe(true);
    expect(
      verifyAdyenItem({ ...item, amount: { value: 1001, currency: 'EUR' } }, sig, ADYEN_KEY),
    ).toBe(false);
    expect(verifyAdyenItem(item, sig, 'AA'.repeat(32))).toBe(false);
    expect(verifyAdyenItem(item, 'not base64!', ADYEN_KEY)).toBe(false);
    expect(verifyAdyenItem(item, undefined, ADYEN_KEY)).toBe(false);
  });
});

describe('Braintree (official vectors, braintree_node specs)', () => {
  it('challenge vector', () => {
    expect(
      braintreeChallengeResponse(
        '20f9f8ed05f77439fe955c977e4c8a53',
        'integration_public_key',
        'integration_private_key',
      ),
    ).toBe('integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4');
    expect(braintreeChallengeResponse('<script>', 'a', 'b')).toBeUndefined();
  });

  it('digest vectors (RFC 2202 tc6; SHA-256 variant)', () => {
    expect(
      sha1HexDigest(
        Buffer.alloc(80, 0xaa),
        'Test Using Larger Than Block-Size Key - Hash Key First',
      ),
    ).toBe('aa4ae5e15272d00e95705637ce8a3b55ed402112');
    expect(sha256HexDigest('my-secret-key', 'my-secret-message')).toBe(
      'c6d0dfae32b8ed2d02b236e9ee2be05478e69b8d72ff82d64ce1f25e2c6d4066',
    );
  });

  it('bt_signature: ours among several pairs, trailing newline, tampering, wrong key', () => {
    const payload = Buffer.from('<notification><kind>check</kind></notification>').toString(
      'base64',
    );
    const ours = signBraintreePayload(payload, 'pub', 'priv');
    const sig = `other_key|${'0'.repeat(40)}&${ours}`;
    expect(verifyBraintreeSignature(sig, payload, 'pub', 'priv')).toEqual({ ok: true });
    const nl = signBraintreePayload(`${payload}\n`, 'pub', 'priv');
    expect(verifyBraintreeSignature(nl, payload, 'pub', 'priv').ok).toBe(true);
    expect(verifyBraintreeSignature(ours, `${payload}AA`, 'pub', 'priv')).toEqual({
      ok: false,
      reason: 'no-match',
    });
    expect(verifyBraintreeSignature(ours, payload, 'pub', 'other')).toEqual({
      ok: false,
      reason: 'no-match',
    });
    expect(verifyBraintreeSignature(ours, payload, 'another-pub', 'priv')).toEqual({
      ok: false,
      reason: 'no-matching-public-key',
    });
    expect(verifyBraintreeSignature(ours, 'a<b', 'pub', 'priv')).toEqual({
      ok: false,
      reason: 'illegal-payload',
    });
  });
});

describe('Stripe (headers from the official stripe package)', () => {
  it('generateTestHeaderString → verified; tampered, wrong secret, stale → rejected', () => {
    const stripe = new Stripe('sk_test_x');
    const body = '{"id":"evt_1","object":"event"}';
    const now = 1_772_445_600;
    const header = stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: KEYS.stripe,
      timestamp: now,
    });
    expect(verifyStripeSignature(body, header, KEYS.stripe, now + 5).ok).toBe(true);
    expect(verifyStripeSignature(`${body} `, header, KEYS.stripe, now).ok).toBe(false);
    expect(verifyStripeSignature(body, header, 'whsec_other', now).ok).toBe(false);
    expect(verifyStripeSignature(body, header, KEYS.stripe, now + 301)).toEqual({
      ok: false,
      reason: 'stale-timestamp',
    });
  });
});

describe('Adobe I/O Events RSA-SHA256 (own key pairs)', () => {
  const a = rsa();
  const b = rsa();
  const body = Buffer.from('{"event_id":"1"}');
  it('either signature may verify', () => {
    const s1 = rsaSign(body, a.privateKey);
    const s2 = rsaSign(body, b.privateKey);
    expect(verifyAdobeIoSignature(body, [s1, s2], [a.publicKey, b.publicKey])).toEqual({
      ok: true,
      verifiedWith: 1,
    });
    expect(verifyAdobeIoSignature(body, ['AAAA', s2], [a.publicKey, b.publicKey])).toEqual({
      ok: true,
      verifiedWith: 2,
    });
    expect(verifyAdobeIoSignature(body, [s1, undefined], [undefined, b.publicKey])).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
  });
  it('tampered body and wrong keys fail', () => {
    const s1 = rsaSign(body, a.privateKey);
    expect(
      verifyAdobeIoSignature(Buffer.from('{"event_id":"2"}'), [s1, s1], [a.publicKey, a.publicKey])
        .ok,
    ).toBe(false);
    expect(verifyAdobeIoSignature(body, [s1, s1], [b.publicKey, b.publicKey]).ok).toBe(false);
    expect(verifyAdobeIoSignature(body, [s1, s1], ['not a pem', 'x']).ok).toBe(false);
  });
  it('key paths cannot point elsewhere', () => {
    expect(isSafeKeyPath('/prod/keys/pub-key-voy5XEbWmT.pem')).toBe(true);
    for (const p of [
      'https://evil.example/k.pem',
      '/../etc/passwd.pem',
      '//evil.example/k.pem',
      '/k.pem?x=1',
      '/k.txt',
    ])
      expect(isSafeKeyPath(p)).toBe(false);
  });
});

describe('Adobe Commerce webhook RSA-SHA256 (PEM)', () => {
  const k = rsa();
  const body = Buffer.from('{"eventName":"observer.x","data":{}}');
  it('accepts base64(body) (documented samples) and the raw body; rejects tampering and wrong keys', () => {
    expect(
      verifyCommerceWebhookSignature(
        body,
        rsaSign(body.toString('base64'), k.privateKey),
        k.publicKey,
      ),
    ).toEqual({
      ok: true,
      signedBytes: 'base64-body',
    });
    expect(verifyCommerceWebhookSignature(body, rsaSign(body, k.privateKey), k.publicKey)).toEqual({
      ok: true,
      signedBytes: 'raw-body',
    });
    expect(
      verifyCommerceWebhookSignature(Buffer.from('{}'), rsaSign(body, k.privateKey), k.publicKey)
        .ok,
    ).toBe(false);
    expect(
      verifyCommerceWebhookSignature(body, rsaSign(body, rsa().privateKey), k.publicKey).ok,
    ).toBe(false);
    expect(verifyCommerceWebhookSignature(body, undefined, k.publicKey)).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
  });
});

describe('hex HMAC digests (KYC, eComscan) and e-mail hashing', () => {
  it('verifies with the allowed algorithms only', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifyHexHmac(body, hexHmac(body, 's'), 's')).toBe(true);
    expect(verifyHexHmac(body, hexHmac(body, 's', 'HMAC_SHA512_HEX'), 's', 'HMAC_SHA512_HEX')).toBe(
      true,
    );
    expect(verifyHexHmac(body, hexHmac(body, 's', 'HMAC_SHA1_HEX'), 's', 'HMAC_SHA1_HEX')).toBe(
      true,
    );
    expect(verifyHexHmac(body, hexHmac(body, 's'), 's', 'MD5')).toBe(false);
    expect(verifyHexHmac(body, hexHmac(body, 'other'), 's')).toBe(false);
  });
  it('hashes normalised e-mails; keyed with a pepper', () => {
    expect(hashEmail(' Alice@Example.COM ')).toBe(hashEmail('alice@example.com'));
    expect(hashEmail('alice@example.com', 'pepper')).not.toBe(hashEmail('alice@example.com'));
    expect(hashEmail('alice@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });
});
