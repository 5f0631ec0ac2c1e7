import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestPartnerEvent } from '#use-cases/ingest-partner-event.ts';
import { fakes, handlers, urlEvent } from './helpers.ts';
import { sample } from './samples.ts';

const ROUTES = [
  'adobe-io',
  'commerce',
  'adyen',
  'braintree',
  'ecomscan',
  'kyc',
  'magento-log',
  'stripe',
];
const HEADER_NAMES = [
  'x-adobe-digital-signature-1',
  'x-adobe-digital-signature-2',
  'x-adobe-public-key1-path',
  'x-adobe-public-key2-path',
  'x-adobe-commerce-webhook-signature',
  'stripe-signature',
  'x-payload-digest',
  'x-payload-digest-alg',
  'x-ecomscan-signature',
  'x-tourniquet-signature',
  'content-type',
];

const headers = fc.dictionary(
  fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 20 })),
  fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom('/prod/keys/pub-key-1.pem', 't=1,v1=00', 'HMAC_SHA1_HEX'),
  ),
  { maxKeys: 6 },
);
const body = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.json({ maxDepth: 4 }),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
  // signed requests with random mutations of their JSON
  fc.constantFrom(...ROUTES).map((r) => mutateSigned(r)),
);

function mutateSigned(route: string): string {
  const s =
    route === 'adyen'
      ? sample.adyen([{ eventCode: 'CHARGEBACK' }])
      : route === 'kyc'
        ? sample.kyc('RED')
        : route === 'ecomscan'
          ? sample.ecomscan({ findings: [null, 1, 'x', { type: {} }] })
          : sample.stripe();
  return s.body.replace(/"[a-z]/, '"Z');
}

const event = fc.record({
  body,
  headers,
  method: fc.constantFrom('POST', 'GET', 'PUT', undefined),
  query: fc.option(
    fc.dictionary(fc.constantFrom('challenge', 'bt_challenge', 'x'), fc.string({ maxLength: 40 })),
    { nil: undefined },
  ),
  base64: fc.boolean(),
});

describe('fuzz: arbitrary bytes, headers and JSON never crash a handler and never yield a 5xx', () => {
  it.each(ROUTES)('%s', async (route) => {
    const f = fakes();
    const h = handlers(f)[route]!;
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const res = await h(
          urlEvent(e.body, e.headers, {
            method: e.method,
            query: e.query ?? undefined,
            base64: e.base64,
          }),
        );
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
        expect(res.statusCode).toBeLessThan(500);
        expect(typeof res.body).toBe('string');
        if (res.statusCode >= 400) expect(JSON.parse(res.body).error).not.toMatch(/\n|at .*\.ts:/);
      }),
      { numRuns: 300 },
    );
  });

  it.each(ROUTES)('%s: structurally broken Lambda events (null, wrong types)', async (route) => {
    const h = handlers(fakes())[route]!;
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (e) => {
        const res = await h(e as never);
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('partner events: anything in, a result out (never throws on bad input)', async () => {
    const f = fakes();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          source: fc.oneof(
            fc.constantFrom('aws.partner/stripe.com/x', 'aws.partner/adobe.io/x'),
            fc.string(),
          ),
          detail: fc.anything(),
        }),
        async (e) => {
          const r = await ingestPartnerEvent(f.base, e);
          expect(['published', 'duplicate', 'ignored', 'rejected']).toContain(r.status);
        },
      ),
      { numRuns: 300 },
    );
  });
});
