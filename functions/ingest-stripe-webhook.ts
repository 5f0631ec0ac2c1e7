import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { S3EvidenceStore } from '#adapters/s3-evidence-store.ts';
import { ENV, IngestEnvSchema, parseEnv } from '#contracts/env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { createLogger } from '#runtime/logger.ts';
import { toWebhookRequest } from '#runtime/webhook-http.ts';
import { type IngestDeps, ingestWebhook } from '#use-cases/ingest-webhook.ts';
import { stripeVerifier } from '#use-cases/verify-stripe.ts';

export interface Deps extends IngestDeps {
  secret: () => Promise<string>;
  drill: boolean;
}

export function buildDeps(rt: RuntimeConfig): Deps {
  const env = parseEnv(IngestEnvSchema, rt.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb')));
  return {
    clock: rt.clock,
    quarantine: new S3EvidenceStore(
      new S3Client(sdkConfig(rt.aws, 's3')),
      env[ENV.quarantineBucket],
    ),
    store: new DynamoIncidentStore(doc, env[ENV.table]),
    publisher: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env[ENV.busName],
    ),
    secret: () => rt.secret(env[ENV.stripeWebhookSecretArn]),
    drill: env[ENV.stage] === 'drill',
  };
}

const log = createLogger('ingest-stripe-webhook');

export function makeHandler(deps: Deps) {
  return async (event: APIGatewayProxyEventV2) => {
    try {
      const secret = await deps.secret();
      const res = await ingestWebhook(
        deps,
        toWebhookRequest('stripe', event),
        stripeVerifier(secret, deps.drill),
      );
      log.info('stripe webhook answered', { statusCode: res.statusCode });
      return res;
    } catch (err) {
      log.error('stripe webhook failed', { error: (err as Error).name });
      return {
        statusCode: 503,
        body: JSON.stringify({ error: 'temporarily unavailable, retry later' }),
      };
    }
  };
}

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: APIGatewayProxyEventV2) => instance()(event);
