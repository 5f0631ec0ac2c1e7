import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { S3EvidenceStore } from '#adapters/s3-evidence-store.ts';
import { ENV, parseEnv } from '#contracts/env.ts';
import { TimelineExportEnvSchema } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { type ExportDeps, exportTimelines } from '#use-cases/export-timelines.ts';

export function buildDeps(rt: RuntimeConfig): ExportDeps {
  const env = parseEnv(TimelineExportEnvSchema, rt.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb')));
  return {
    store: new DynamoIncidentStore(doc, env[ENV.table]),
    evidence: new S3EvidenceStore(new S3Client(sdkConfig(rt.aws, 's3')), env[ENV.evidenceBucket]),
    clock: rt.clock,
  };
}

/** Scheduled (EventBridge rule): any event in, the export summary out. */
export const makeHandler = (deps: ExportDeps) =>
  taskHandler('export-timelines', z.unknown(), () => exportTimelines(deps));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: import('aws-lambda').Context) =>
  instance()(event, ctx);
