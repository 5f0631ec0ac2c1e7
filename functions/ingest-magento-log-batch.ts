import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { magentoLogVerifier } from '#use-cases/verify-magento-log.ts';

/** JSON batches from the Magento log shipper (admin action log, export queue, tokens, admin logins). */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-magento-log-batch'], rt.env);
  const base = webhookBaseDeps(rt, env);
  return {
    ...base,
    verifier: async () =>
      magentoLogVerifier({
        secret: await rt.secret(env[ENV.magentoLogSecretArn]),
        drill: base.drill,
        firstSeen: (key) => base.store.markDelivery(key, rt.clock.now().toISOString()),
      }),
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('magento-log', 'ingest-magento-log-batch', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
