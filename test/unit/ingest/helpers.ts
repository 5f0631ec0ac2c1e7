import { generateKeyPairSync, sign } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { StaticPublicKeySource } from '#adapters/http-public-key-source.ts';
import { type Alert, AlertSchema } from '#contracts/alert.ts';
import type { BusEvent } from '#ports/event-publisher.ts';
import type { WebhookDeps } from '#runtime/webhook-function.ts';
import { adobeIoVerifier } from '#use-cases/verify-adobe-io.ts';
import { adyenVerifier } from '#use-cases/verify-adyen.ts';
import { braintreeVerifier } from '#use-cases/verify-braintree.ts';
import { commerceWebhookVerifier } from '#use-cases/verify-commerce-webhook.ts';
import { ecomscanVerifier } from '#use-cases/verify-ecomscan.ts';
import { kycVerifier } from '#use-cases/verify-kyc.ts';
import { magentoLogVerifier } from '#use-cases/verify-magento-log.ts';
import * as adobeIo from '../../../functions/ingest-adobe-io-webhook.ts';
import * as adyen from '../../../functions/ingest-adyen-webhook.ts';
import * as braintree from '../../../functions/ingest-braintree-webhook.ts';
import * as commerce from '../../../functions/ingest-commerce-webhook.ts';
import * as ecomscan from '../../../functions/ingest-ecomscan-webhook.ts';
import * as kyc from '../../../functions/ingest-kyc-webhook.ts';
import * as magentoLog from '../../../functions/ingest-magento-log-batch.ts';
import * as stripe from '../../../functions/ingest-stripe-webhook.ts';

export const NOW = new Date('2026-03-02T10:00:00.000Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
export const rsaSign = (data: string | Buffer, privateKey: string) =>
  sign('sha256', Buffer.from(data), privateKey).toString('base64');

export const KEYS = {
  adobe1: rsa(),
  adobe2: rsa(),
  commerce: rsa(),
  adyenHex: 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00',
  braintree: { publicKey: 'integration_public_key', privateKey: 'integration_private_key' },
  stripe: 'whsec_test_secret',
  ecomscan: 'ecomscan-shared-secret',
  kyc: 'kyc-secret-key',
  magentoLog: 'shipper-secret',
  adobeClientId: 'tourniquet-client-id',
};
export const ADOBE_PATHS = { key1: '/prod/keys/pub-key-1.pem', key2: '/prod/keys/pub-key-2.pem' };

/** In-memory ports: the delivery ledger, the bus and the quarantine bucket. */
export function fakes() {
  const deliveries = new Set<string>();
  const published: BusEvent[] = [];
  const quarantined: Array<{ key: string; body: string }> = [];
  return {
    deliveries,
    published,
    quarantined,
    alerts: () => published.map((e) => AlertSchema.parse(e.detail) as Alert),
    base: {
      clock: { now: () => NOW },
      drill: false,
      quarantine: {
        put: async (key: string, body: Buffer | string) => {
          quarantined.push({ key, body: String(body) });
          return { bucket: 'q', key, sha256: '0'.repeat(64), bytes: String(body).length };
        },
      },
      store: {
        markDelivery: async (id: string) => {
          if (deliveries.has(id)) return false;
          deliveries.add(id);
          return true;
        },
        forgetDelivery: async (id: string) => {
          deliveries.delete(id);
        },
      } as unknown as WebhookDeps['store'],
      publisher: {
        publish: async (events: BusEvent[]) => {
          published.push(...events);
        },
      },
    },
  };
}

type Handler = (e: APIGatewayProxyEventV2) => Promise<{ statusCode: number; body: string }>;

/** Every webhook handler, built with its real makeHandler around in-memory ports. */
export function handlers(f: ReturnType<typeof fakes>): Record<string, Handler> {
  const b = f.base;
  const w = (verifier: WebhookDeps['verifier']) => ({ ...b, verifier }) as WebhookDeps;
  return {
    'adobe-io': adobeIo.makeHandler(
      w(async () =>
        adobeIoVerifier({
          clientId: KEYS.adobeClientId,
          keys: new StaticPublicKeySource({
            [ADOBE_PATHS.key1]: KEYS.adobe1.publicKey,
            [ADOBE_PATHS.key2]: KEYS.adobe2.publicKey,
          }),
          drill: false,
        }),
      ),
    ),
    commerce: commerce.makeHandler(
      w(async () =>
        commerceWebhookVerifier({ publicKeyPem: KEYS.commerce.publicKey, drill: false }),
      ),
    ),
    adyen: adyen.makeHandler(
      w(async () => adyenVerifier({ hmacKeyHex: KEYS.adyenHex, drill: false })),
    ),
    braintree: braintree.makeHandler(
      w(async () => braintreeVerifier({ ...KEYS.braintree, drill: false })),
    ),
    ecomscan: ecomscan.makeHandler(
      w(async () => ecomscanVerifier({ secret: KEYS.ecomscan, drill: false })),
    ),
    kyc: kyc.makeHandler(w(async () => kycVerifier({ secret: KEYS.kyc, drill: false }))),
    'magento-log': magentoLog.makeHandler(
      w(async () =>
        magentoLogVerifier({
          secret: KEYS.magentoLog,
          drill: false,
          firstSeen: (k) => b.store.markDelivery(`seen:${k}`, NOW.toISOString()),
        }),
      ),
    ),
    stripe: stripe.makeHandler({
      ...b,
      secret: async () => KEYS.stripe,
      drill: false,
    } as unknown as stripe.Deps),
  };
}

/** A Lambda Function URL event (payload format 2.0). */
export function urlEvent(
  body: string,
  headers: Record<string, string> = {},
  opts: { method?: string; query?: Record<string, string>; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...headers },
    ...(opts.query ? { queryStringParameters: opts.query } : {}),
    requestContext: {
      http: {
        method: opts.method ?? 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
    } as APIGatewayProxyEventV2['requestContext'],
    body: opts.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: Boolean(opts.base64),
  };
}
