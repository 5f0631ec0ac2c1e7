import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Ingest support for the local runtime: webhook secrets from the environment (what the deployed
 * functions read from Secrets Manager), generated when unset, and a loopback stand-in for the
 * Adobe I/O public-key host.
 */

const readPem = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : undefined);

/** Secret logical-id prefix → value from the environment. */
export function ingestSecretsFromEnv(env = process.env): Record<string, string | undefined> {
  const bt =
    env.BRAINTREE_PUBLIC_KEY && env.BRAINTREE_PRIVATE_KEY
      ? JSON.stringify({
          publicKey: env.BRAINTREE_PUBLIC_KEY,
          privateKey: env.BRAINTREE_PRIVATE_KEY,
        })
      : undefined;
  return {
    AdyenHmacKey: env.ADYEN_HMAC_KEY,
    BraintreeKeys: bt,
    AdobeIoClientId: env.ADOBE_IO_CLIENT_ID,
    CommerceWebhookPublicKey: readPem(env.ADOBE_COMMERCE_WEBHOOK_PUBLIC_KEY_PATH),
    EcomscanWebhookSecret: env.ECOMSCAN_WEBHOOK_SECRET,
    KycWebhookSecret: env.KYC_WEBHOOK_SECRET,
    MagentoLogShipperSecret: env.MAGENTO_LOG_SHIPPER_SECRET,
    DetectorWebhookSecret: env.DETECTOR_WEBHOOK_SECRET,
  };
}

/** Key pairs generated for a local run (private halves stay in process, for drills and tests). */
export const localSigningKeys: { commerce?: string; adobeIo?: string } = {};

function rsaPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** A generated value for an ingest secret, or undefined when the prefix is not ours. */
export function generateIngestSecret(prefix: string): string | undefined {
  if (prefix.startsWith('BraintreeKeys'))
    return JSON.stringify({
      publicKey: `local_${randomBytes(8).toString('hex')}`,
      privateKey: randomBytes(16).toString('hex'),
    });
  if (prefix.startsWith('AdobeIoClientId')) return `local-${randomBytes(8).toString('hex')}`;
  if (prefix.startsWith('CommerceWebhookPublicKey')) {
    const { publicKey, privateKey } = rsaPair();
    localSigningKeys.commerce = privateKey;
    return publicKey;
  }
  return undefined;
}

/**
 * Loopback stand-in for https://static.adobeioevents.com: serves the PEM of
 * ADOBE_IO_PUBLIC_KEY_PATH (or of a generated pair) for any `*.pem` path; 404 otherwise.
 */
export async function startAdobeKeyServer(env = process.env) {
  let pem = readPem(env.ADOBE_IO_PUBLIC_KEY_PATH);
  if (!pem) {
    const { publicKey, privateKey } = rsaPair();
    pem = publicKey;
    localSigningKeys.adobeIo = privateKey;
  }
  const served = pem;
  const server = createServer((req, res) => {
    const ok = req.method === 'GET' && /^\/[A-Za-z0-9._\-/]+\.pem$/.test(req.url ?? '');
    res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(ok ? served : 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    publicKeyPem: served,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
