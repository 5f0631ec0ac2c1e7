import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { type Alert, AlertSchema } from '#contracts/alert.ts';
import { ENV, parseEnv, TriageEnvSchema } from '#contracts/env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { type TriageDeps, triageAlert } from '#use-cases/triage-alert.ts';

/** EventBridge delivers the Alert as `detail`. */
const EventSchema = z.object({ 'detail-type': z.literal('Alert'), detail: AlertSchema });

export interface TriageFunctionDeps extends TriageDeps {
  /** Powertools idempotency persistence (its own table); keyed on the alert id. */
  idempotency?: BasePersistenceLayer;
}

export function buildDeps(rt: RuntimeConfig): TriageFunctionDeps {
  const env = parseEnv(TriageEnvSchema, rt.env);
  const ddb = new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb'));
  const doc = DynamoDBDocumentClient.from(ddb);
  const idempotencyTable = rt.env[ENV.idempotencyTable];
  return {
    store: new DynamoIncidentStore(doc, env[ENV.table]),
    publisher: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env[ENV.busName],
    ),
    clock: rt.clock,
    correlationWindowMinutes: env[ENV.correlationWindowMinutes],
    ...(idempotencyTable
      ? {
          idempotency: new DynamoDBPersistenceLayer({
            tableName: idempotencyTable,
            awsSdkV3Client: ddb,
          }),
        }
      : {}),
  };
}

/**
 * Triage behind two guards: Powertools idempotency on the alert id (a redelivered event returns
 * the recorded result without running again) and, inside the use case, conditional writes that
 * keep the store consistent even without the first guard.
 */
export const makeHandler = (deps: TriageFunctionDeps) => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'alertId',
    expiresAfterSeconds: 7 * 24 * 3600,
  });
  const run = deps.idempotency
    ? makeIdempotent((alert: Alert) => triageAlert(deps, alert), {
        persistenceStore: deps.idempotency,
        config,
      })
    : (alert: Alert) => triageAlert(deps, alert);
  return taskHandler('triage-alert', EventSchema, (event, ctx) => {
    if (ctx) config.registerLambdaContext(ctx);
    return run(event.detail);
  });
};

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: import('aws-lambda').Context) =>
  instance()(event, ctx);
