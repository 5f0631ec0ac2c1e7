import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { ecomscanVerifier } from '#use-cases/verify-ecomscan.ts';

/** Sansec eComscan findings (hex HMAC-SHA256 shared secret). */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-ecomscan-webhook'], rt.env);
  const base = webhookBaseDeps(rt, env);
  return {
    ...base,
    verifier: async () =>
      ecomscanVerifier({ secret: await rt.secret(env[ENV.ecomscanSecretArn]), drill: base.drill }),
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('ecomscan', 'ingest-ecomscan-webhook', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
