import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DrillSinkMailer } from '#adapters/drill/drill-sink-mailer.ts';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { DynamoContactVault, KmsKeyWrapper } from '#adapters/envelope-contact-vault.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { S3DataMapSink, S3RecipientFiles } from '#adapters/s3-scope-files.ts';
import { SesBulkMailer, SesNoticeTemplates } from '#adapters/ses-notice-mailer.ts';
import { DRILL_ENV, DrillNoticeSinkSchema } from '#contracts/drills.ts';
import { parseEnv } from '#contracts/env.ts';
import { NOTIFY_ENV, NotifyEnvSchema, ScopeEnvSchema } from '#contracts/notify.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import type { ContactVault } from '#ports/data-map.ts';
import type { BulkMailer } from '#ports/notify.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';

/** Composition helpers of the scope and notify functions (issue 7). */

export function docClient(rt: RuntimeConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb')), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export const s3Client = (rt: RuntimeConfig) => new S3Client(sdkConfig(rt.aws, 's3'));

/** The email HMAC key (Secrets Manager), fetched on first use. */
export function hmacFromSecret(
  rt: RuntimeConfig,
  arn: string,
): () => Promise<(e: string) => string> {
  let fn: Promise<(e: string) => string> | undefined;
  return () => {
    fn ??= rt.secret(arn).then(emailHmacFn);
    return fn;
  };
}

/**
 * The contact vault: AES-256-GCM records in the responder table, data keys from the contact-vault
 * KMS key (the exporter may only GenerateDataKey, the sending step may only Decrypt).
 */
export function contactVault(rt: RuntimeConfig, table: string, keyId: string): ContactVault {
  const kms = new KMSClient(sdkConfig(rt.aws, 'kms'));
  return new DynamoContactVault(docClient(rt), table, new KmsKeyWrapper(kms, keyId));
}

export function scopeDeps(rt: RuntimeConfig) {
  const env = parseEnv(ScopeEnvSchema, rt.env);
  const doc = docClient(rt);
  const s3 = s3Client(rt);
  const table = env[NOTIFY_ENV.table];
  return {
    env,
    s3,
    store: new DynamoIncidentStore(doc, table),
    notify: new DynamoNotifyStore(doc, table),
    files: new S3RecipientFiles(s3, env[NOTIFY_ENV.scopeBucket]),
    map: new S3DataMapSink(s3, env[NOTIFY_ENV.scopeBucket], env[NOTIFY_ENV.mapPrefix]),
    events: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env[NOTIFY_ENV.busName],
    ),
    emailHmac: hmacFromSecret(rt, env[NOTIFY_ENV.emailHmacSecretArn]),
    clock: rt.clock,
  };
}

export function notifyDeps(rt: RuntimeConfig) {
  const env = parseEnv(NotifyEnvSchema, rt.env);
  const doc = docClient(rt);
  const table = env[NOTIFY_ENV.table];
  const ses = new SESv2Client(sdkConfig(rt.aws, 'sesv2'));
  return {
    env,
    store: new DynamoIncidentStore(doc, table),
    notify: new DynamoNotifyStore(doc, table),
    templates: new SesNoticeTemplates(ses),
    mailer: new SesBulkMailer(ses, env[NOTIFY_ENV.configurationSet]),
    drillMailer: drillNoticeMailer(rt, ses),
    vault: contactVault(rt, table, env[NOTIFY_ENV.contactKeyArn]),
    emailHmac: hmacFromSecret(rt, env[NOTIFY_ENV.emailHmacSecretArn]),
    clock: rt.clock,
  };
}

/**
 * The mailer of drill incidents' notices (DRILL_NOTICE_SINK): the drill sink addresses through
 * the drill configuration set. Undefined without the variable: a drill incident then fails
 * rather than reaching customers.
 */
export function drillNoticeMailer(rt: RuntimeConfig, ses: SESv2Client): BulkMailer | undefined {
  const raw = rt.env[DRILL_ENV.noticeSink];
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`Invalid environment: ${DRILL_ENV.noticeSink}: not JSON`);
  }
  const r = DrillNoticeSinkSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `Invalid environment: ${DRILL_ENV.noticeSink}.${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`,
    );
  }
  return new DrillSinkMailer(
    new SesBulkMailer(ses, r.data.configurationSet ?? rt.env[NOTIFY_ENV.configurationSet]),
    r.data.recipients,
  );
}
