import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { adyenVerifier } from '#use-cases/verify-adyen.ts';

/** Adyen standard notifications (HMAC per item), answered `[accepted]`. */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-adyen-webhook'], rt.env);
  const base = webhookBaseDeps(rt, env);
  return {
    ...base,
    verifier: async () =>
      adyenVerifier({
        hmacKeyHex: (await rt.secret(env[ENV.adyenHmacKeySecretArn])).trim(),
        drill: base.drill,
      }),
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('adyen', 'ingest-adyen-webhook', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
