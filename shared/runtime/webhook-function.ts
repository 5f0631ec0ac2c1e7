import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { S3EvidenceStore } from '#adapters/s3-evidence-store.ts';
import type { Alert } from '#contracts/alert.ts';
import { ENV } from '#contracts/env.ts';
import type { WebhookBaseEnvSchema } from '#contracts/ingest-env.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import {
  type IngestDeps,
  ingestWebhook,
  type VerifyOutcome,
  type WebhookRequest,
  type WebhookResponse,
} from '#use-cases/ingest-webhook.ts';
import type { RuntimeConfig } from './config.ts';
import { sdkConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { toWebhookRequest } from './webhook-http.ts';

export type Verifier = (
  req: WebhookRequest,
  evidence: Alert['evidence'],
  now: Date,
) => Promise<VerifyOutcome> | VerifyOutcome;

export interface WebhookDeps extends IngestDeps {
  store: IncidentStore;
  drill: boolean;
  /** Builds the source's verifier (reads its secrets; cached by the secret provider). */
  verifier: () => Promise<Verifier>;
}

/** The clients every webhook function shares: table, quarantine bucket, bus. */
export function webhookBaseDeps(
  rt: RuntimeConfig,
  env: z.infer<typeof WebhookBaseEnvSchema>,
): Omit<WebhookDeps, 'verifier'> {
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
    drill: env[ENV.stage] === 'drill',
  };
}

/**
 * Function URL handler: the common ingest path around a source verifier. A client mistake is a
 * 4xx from the use case; only our own trouble (secrets, store, bus) becomes a 503 so the sender
 * retries. Logs carry the status and the error name, never the payload.
 */
export function webhookHandler(source: string, service: string, deps: WebhookDeps) {
  const log = createLogger(service);
  return async (event: APIGatewayProxyEventV2): Promise<WebhookResponse> => {
    try {
      const verify = await deps.verifier();
      const res = await ingestWebhook(deps, toWebhookRequest(source, event), verify);
      log.info(`${source} webhook answered`, { statusCode: res.statusCode });
      return res;
    } catch (err) {
      log.error(`${source} webhook failed`, { error: (err as Error)?.name ?? 'Error' });
      return {
        statusCode: 503,
        body: JSON.stringify({ error: 'temporarily unavailable, retry later' }),
      };
    }
  };
}
