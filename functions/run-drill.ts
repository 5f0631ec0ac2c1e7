import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import {
  AwsDrillWorkflows,
  GeneratedMediaFixtures,
  S3DrillObjects,
} from '#adapters/drill/aws-drill-io.ts';
import { BundledScenarios } from '#adapters/drill/bundled-scenarios.ts';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { DRILL_ENV, DrillRecoverySourceSchema, RunDrillInputSchema } from '#contracts/drills.ts';
import { ENV, parseEnv } from '#contracts/env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { type DrillRunnerDeps, injectDrillStep, prepareDrill } from '#use-cases/drill/run-drill.ts';

const EnvSchema = z.object({
  [DRILL_ENV.busName]: z.string().min(1),
  [ENV.table]: z.string().min(3).optional(),
  [DRILL_ENV.mediaBucket]: z.string().min(3).optional(),
  [DRILL_ENV.scopeBucket]: z.string().min(3).optional(),
  [DRILL_ENV.assessScopeFunction]: z.string().min(1).optional(),
  [DRILL_ENV.scanMediaStateMachineArn]: z.string().min(1).optional(),
  [DRILL_ENV.recoverStateMachineArn]: z.string().min(1).optional(),
  [DRILL_ENV.fingerprintKeySecretArn]: z.string().min(1).optional(),
  [DRILL_ENV.recoverySource]: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const r = DrillRecoverySourceSchema.safeParse(JSON.parse(s));
      if (r.success) return r.data;
      ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? 'invalid' });
      return z.NEVER;
    }),
});

export function buildDeps(rt: RuntimeConfig): DrillRunnerDeps {
  const env = parseEnv(EnvSchema, rt.env);
  const table = env[ENV.table];
  const keyArn = env[DRILL_ENV.fingerprintKeySecretArn];
  return {
    scenarios: new BundledScenarios(),
    publisher: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env[DRILL_ENV.busName],
    ),
    clock: rt.clock,
    // Data injections (media, leaked files, restores) write only to drill prefixes and sources.
    ...(table
      ? {
          data: {
            objects: new S3DrillObjects(new S3Client(sdkConfig(rt.aws, 's3'))),
            workflows: new AwsDrillWorkflows(
              new SFNClient(sdkConfig(rt.aws, 'sfn')),
              new LambdaClient(sdkConfig(rt.aws, 'lambda')),
            ),
            fixtures: new GeneratedMediaFixtures(),
            incidents: new DynamoIncidentStore(
              DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb'))),
              table,
            ),
            targets: {
              mediaBucket: env[DRILL_ENV.mediaBucket],
              scopeBucket: env[DRILL_ENV.scopeBucket],
              assessScopeFunction: env[DRILL_ENV.assessScopeFunction],
              scanMediaStateMachineArn: env[DRILL_ENV.scanMediaStateMachineArn],
              recoverStateMachineArn: env[DRILL_ENV.recoverStateMachineArn],
              recovery: env[DRILL_ENV.recoverySource],
              ...(keyArn ? { fingerprintKey: () => rt.secret(keyArn) } : {}),
            },
          },
        }
      : {}),
  };
}

/** Task of the `drill` state machine: plan a run from DrillRequested, or deliver one injection. */
export const makeHandler = (deps: DrillRunnerDeps) =>
  taskHandler('run-drill', RunDrillInputSchema, async (input) =>
    input.op === 'prepare' ? prepareDrill(deps, input.request) : injectDrillStep(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
