import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { AlertSchema } from '#contracts/alert.ts';
import { ENV, parseEnv, TriageEnvSchema } from '#contracts/env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { type TriageDeps, triageAlert } from '#use-cases/triage-alert.ts';

/** EventBridge delivers the Alert as `detail`. */
const EventSchema = z.object({ 'detail-type': z.literal('Alert'), detail: AlertSchema });

export function buildDeps(rt: RuntimeConfig): TriageDeps {
  const env = parseEnv(TriageEnvSchema, rt.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb')));
  return {
    store: new DynamoIncidentStore(doc, env[ENV.table]),
    publisher: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env[ENV.busName],
    ),
    clock: rt.clock,
    correlationWindowMinutes: env[ENV.correlationWindowMinutes],
  };
}

export const makeHandler = (deps: TriageDeps) =>
  taskHandler('triage-alert', EventSchema, (event) => triageAlert(deps, event.detail));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: import('aws-lambda').Context) =>
  instance()(event, ctx);
