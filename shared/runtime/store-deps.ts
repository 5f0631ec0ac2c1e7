import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { ENV, parseEnv, TableOnlyEnvSchema } from '#contracts/env.ts';
import type { Clock } from '#ports/clock.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';

/** Dependencies of the functions that only touch the incident table. */
export function storeDeps(rt: RuntimeConfig): { store: IncidentStore; clock: Clock } {
  const env = parseEnv(TableOnlyEnvSchema, rt.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb')));
  return { store: new DynamoIncidentStore(doc, env[ENV.table]), clock: rt.clock };
}
