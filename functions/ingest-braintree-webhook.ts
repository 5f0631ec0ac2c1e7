import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, parseEnv } from '#contracts/env.ts';
import { BraintreeKeysSchema, INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { braintreeVerifier } from '#use-cases/verify-braintree.ts';

/** Braintree webhooks (bt_signature / bt_payload) and the bt_challenge endpoint check. */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-braintree-webhook'], rt.env);
  const base = webhookBaseDeps(rt, env);
  return {
    ...base,
    verifier: async () => {
      const keys = BraintreeKeysSchema.parse(
        JSON.parse(await rt.secret(env[ENV.braintreeKeysSecretArn])),
      );
      return braintreeVerifier({ ...keys, drill: base.drill });
    },
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('braintree', 'ingest-braintree-webhook', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
