import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { DynamoContactVault, KmsKeyWrapper } from '#adapters/envelope-contact-vault.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { S3DataMapSink, S3RecipientFiles } from '#adapters/s3-scope-files.ts';
import { SesBulkMailer, SesNoticeTemplates } from '#adapters/ses-notice-mailer.ts';
import { parseEnv } from '#contracts/env.ts';
import { NOTIFY_ENV, NotifyEnvSchema, ScopeEnvSchema } from '#contracts/notify.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import type { ContactVault } from '#ports/data-map.ts';
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
    vault: contactVault(rt, table, env[NOTIFY_ENV.contactKeyArn]),
    emailHmac: hmacFromSecret(rt, env[NOTIFY_ENV.emailHmacSecretArn]),
    clock: rt.clock,
  };
}
