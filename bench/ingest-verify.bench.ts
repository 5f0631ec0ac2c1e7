/**
 * Verify + normalise + validate, in process, one core: every source's verifier on signed requests
 * (RSA-SHA256 for Adobe I/O and Commerce, HMACs for the rest) producing zod-validated Alerts.
 * Target: ≥ 10,000 alerts/s, p99 < 1 ms. Run: npx tsx bench/ingest-verify.bench.ts [N]
 */
import { createHash } from 'node:crypto';
import { StaticPublicKeySource } from '#adapters/http-public-key-source.ts';
import type { VerifyOutcome, WebhookRequest } from '#use-cases/ingest-webhook.ts';
import { adobeIoVerifier } from '#use-cases/verify-adobe-io.ts';
import { adyenVerifier } from '#use-cases/verify-adyen.ts';
import { braintreeVerifier } from '#use-cases/verify-braintree.ts';
import { commerceWebhookVerifier } from '#use-cases/verify-commerce-webhook.ts';
import { ecomscanVerifier } from '#use-cases/verify-ecomscan.ts';
import { kycVerifier } from '#use-cases/verify-kyc.ts';
import { magentoLogVerifier } from '#use-cases/verify-magento-log.ts';
import { stripeVerifier } from '#use-cases/verify-stripe.ts';
import { ADOBE_PATHS, KEYS, NOW } from '../test/unit/ingest/helpers.ts';
import { sample } from '../test/unit/ingest/samples.ts';

const N = Number(process.argv[2] ?? 20_000);
type V = (
  r: WebhookRequest,
  e: { sha256: string; bytes: number },
  now: Date,
) => VerifyOutcome | Promise<VerifyOutcome>;
const verifiers: Record<string, V> = {
  'adobe-io': adobeIoVerifier({
    clientId: KEYS.adobeClientId,
    keys: new StaticPublicKeySource({
      [ADOBE_PATHS.key1]: KEYS.adobe1.publicKey,
      [ADOBE_PATHS.key2]: KEYS.adobe2.publicKey,
    }),
    drill: false,
  }),
  commerce: commerceWebhookVerifier({ publicKeyPem: KEYS.commerce.publicKey, drill: false }),
  adyen: adyenVerifier({ hmacKeyHex: KEYS.adyenHex, drill: false }),
  braintree: braintreeVerifier({ ...KEYS.braintree, drill: false }),
  ecomscan: ecomscanVerifier({ secret: KEYS.ecomscan, drill: false }),
  kyc: kycVerifier({ secret: KEYS.kyc, drill: false }),
  'magento-log': magentoLogVerifier({
    secret: KEYS.magentoLog,
    drill: false,
    firstSeen: async () => true,
  }),
  stripe: stripeVerifier(KEYS.stripe, false),
};
const make: Record<string, (i: number) => { body: string; headers: Record<string, string> }> = {
  'adobe-io': (i) => sample.adobeIo({ event_id: `evt-${i}` }),
  commerce: (i) => sample.commerce({ data: { user_id: i } }),
  adyen: (i) => sample.adyen([{ pspReference: `PSP${i}` }]),
  braintree: () => sample.braintree(),
  ecomscan: (i) => sample.ecomscan({ id: `scan-${i}` }),
  kyc: (i) => sample.kyc('RED', { applicantId: `app${i}` }),
  'magento-log': (i) =>
    sample.magentoLog([
      { type: 'admin_action', log_id: i, action: 'export', event_code: 'customer', user_id: 3 },
    ]),
  stripe: () => sample.stripe(),
};

const rows: string[] = [];
let total = 0;
let totalMs = 0;
for (const [name, verify] of Object.entries(verifiers)) {
  const per = Math.ceil(N / 8);
  const reqs = Array.from({ length: Math.min(per, 500) }, (_, i) => {
    const s = make[name]!(i);
    const rawBody = Buffer.from(s.body);
    return {
      req: {
        source: name,
        headers: s.headers,
        rawBody,
        method: 'POST',
        query: {},
      } as WebhookRequest,
      evidence: {
        sha256: createHash('sha256').update(rawBody).digest('hex'),
        bytes: rawBody.length,
      },
    };
  });
  for (const r of reqs.slice(0, 50)) await verify(r.req, r.evidence, NOW); // warm-up
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < per; i++) {
    const r = reqs[i % reqs.length]!;
    const s = performance.now();
    const out = await verify(r.req, r.evidence, NOW);
    lat.push(performance.now() - s);
    if (out.kind !== 'alert' && out.kind !== 'alerts')
      throw new Error(`${name}: ${JSON.stringify(out)}`);
  }
  const ms = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  total += per;
  totalMs += ms;
  rows.push(
    `${name.padEnd(12)} ${String(Math.round((per / ms) * 1000)).padStart(7)} alerts/s   p50 ${q(0.5).toFixed(3)} ms   p99 ${q(0.99).toFixed(3)} ms`,
  );
}
console.log(`verify + normalise + validate, in process (${N} requests, one core)`);
for (const r of rows) console.log(`  ${r}`);
console.log(`  all sources  ${Math.round((total / totalMs) * 1000)} alerts/s overall`);
