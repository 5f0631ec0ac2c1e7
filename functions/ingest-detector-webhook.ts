import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { MEDIA_ENV, parseThresholds } from '#contracts/media.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { type WebhookDeps, webhookBaseDeps, webhookHandler } from '#runtime/webhook-function.ts';
import { detectorVerifier } from '#use-cases/verify-detector.ts';

/** Third-party deepfake detector results (x-detector-signature: hex HMAC-SHA256 of the body). */
export function buildDeps(rt: RuntimeConfig): WebhookDeps {
  const env = parseEnv(INGEST_ENV['ingest-detector-webhook'], rt.env);
  const base = webhookBaseDeps(rt, env);
  const thresholds = parseThresholds(env[MEDIA_ENV.thresholds]);
  return {
    ...base,
    verifier: async () =>
      detectorVerifier({
        secret: await rt.secret(env[ENV.detectorSecretArn]),
        drill: base.drill,
        thresholds,
      }),
  };
}

export const makeHandler = (deps: WebhookDeps) =>
  webhookHandler('detector', 'ingest-detector-webhook', deps);

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
