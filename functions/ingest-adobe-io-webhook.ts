import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpPublicKeySource } from '#adapters/http-public-key-source.ts';
import { ENV, parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { adobeIoVerifier } from '#use-cases/verify-adobe-io.ts';

/** Adobe I/O Events webhook (RSA-SHA256, keys fetched from the key host and cached; challenge). */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-adobe-io-webhook'], rt.env);
  const base = webhookBaseDeps(rt, env);
  const keys = new HttpPublicKeySource(env[ENV.adobeIoKeyBaseUrl]);
  return {
    ...base,
    verifier: async () =>
      adobeIoVerifier({
        clientId: await rt.secret(env[ENV.adobeIoClientIdSecretArn]),
        keys,
        drill: base.drill,
      }),
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('adobe-io', 'ingest-adobe-io-webhook', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
