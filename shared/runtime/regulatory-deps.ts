import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRegulatoryStore } from '#adapters/regulatory/dynamo-regulatory-store.ts';
import { SchedulerReminders } from '#adapters/regulatory/scheduler-reminders.ts';
import { SesMailer } from '#adapters/regulatory/ses-mailer.ts';
import { SfnExecutionStarter, SfnTaskTokens } from '#adapters/regulatory/sfn-regulatory.ts';
import { S3EvidenceStore } from '#adapters/s3-evidence-store.ts';
import { parseEnv } from '#contracts/env.ts';
import {
  REG_ENV,
  type RegulatoryDrillDelivery,
  RegulatoryDrillDeliverySchema,
  RegulatoryEnvSchema,
  type RegulatoryProfile,
  RegulatoryProfileSchema,
} from '#contracts/regulatory-workflow.ts';
import type { RegulatoryDeps } from '#use-cases/regulatory/workflow.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';

/**
 * Composition root of every `regulatory-*` function: only the regulatory stack's own table,
 * bucket, Scheduler group, SES and Step Functions. Nothing of the storefront or the responder.
 */
export function regulatoryDeps(rt: RuntimeConfig): RegulatoryDeps {
  const env = parseEnv(RegulatoryEnvSchema, rt.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb')), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sfn = new SFNClient(sdkConfig(rt.aws, 'sfn'));
  const remindArn = env[REG_ENV.remindFunctionArn];
  const roleArn = env[REG_ENV.schedulerRoleArn];
  const bucket = env[REG_ENV.evidenceBucket];
  const smArn = env[REG_ENV.stateMachineArn];
  return {
    store: new DynamoRegulatoryStore(doc, env[REG_ENV.table]),
    clock: rt.clock,
    profile: parseProfile(env[REG_ENV.profile]),
    executions: smArn ? new SfnExecutionStarter(sfn, smArn) : undefined,
    tokens: new SfnTaskTokens(sfn),
    reminders:
      remindArn && roleArn
        ? new SchedulerReminders(new SchedulerClient(sdkConfig(rt.aws, 'scheduler')), {
            group: env[REG_ENV.scheduleGroup],
            targetArn: remindArn,
            roleArn,
          })
        : undefined,
    mailer: new SesMailer(new SESv2Client(sdkConfig(rt.aws, 'sesv2'))),
    evidence: bucket
      ? new S3EvidenceStore(new S3Client(sdkConfig(rt.aws, 's3')), bucket)
      : undefined,
    drillDelivery: parseDrillDelivery(env[REG_ENV.drillDelivery]),
  };
}

/** Drill cases: the configured drill mailbox, or a dry run when nothing is configured. */
function parseDrillDelivery(raw: string | undefined): RegulatoryDrillDelivery {
  if (!raw) return { mode: 'dry-run' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`Invalid environment: ${REG_ENV.drillDelivery}: not JSON`);
  }
  const r = RegulatoryDrillDeliverySchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `Invalid environment: ${REG_ENV.drillDelivery} at ${i?.path.join('.') || '/'}: ${i?.message ?? ''}`,
    );
  }
  return r.data;
}

function parseProfile(raw: string | undefined): RegulatoryProfile | undefined {
  if (!raw) return undefined;
  const r = RegulatoryProfileSchema.safeParse(JSON.parse(raw));
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `Invalid environment: ${REG_ENV.profile} at ${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`,
    );
  }
  return r.data;
}
