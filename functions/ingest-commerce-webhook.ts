import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { commerceWebhookVerifier } from '#use-cases/verify-commerce-webhook.ts';

/** Adobe Commerce webhooks (RSA-SHA256, PEM public key from the Admin configuration). */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-commerce-webhook'], rt.env);
  const base = webhookBaseDeps(rt, env);
  return {
    ...base,
    verifier: async () =>
      commerceWebhookVerifier({
        publicKeyPem: await rt.secret(env[ENV.commerceWebhookKeySecretArn]),
        drill: base.drill,
      }),
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('commerce-webhook', 'ingest-commerce-webhook', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
