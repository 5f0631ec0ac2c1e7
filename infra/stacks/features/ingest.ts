import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ENV } from '../../../shared/contracts/env.ts';
import { MEDIA_ENV } from '../../../shared/contracts/media.ts';
import { acknowledge } from '../../nag.ts';
import type { ResponderContext } from '../responder-context.ts';

/** Webhook functions (one per source), their secrets and Function URLs. */
const WEBHOOKS: Array<{
  name: string;
  output: string;
  secret: { id: string; env: string; description: string };
  extraEnv?: (ctx: ResponderContext) => Record<string, string>;
}> = [
  {
    name: 'ingest-adobe-io-webhook',
    output: 'AdobeIoWebhookUrl',
    secret: {
      id: 'AdobeIoClientId',
      env: ENV.adobeIoClientIdSecretArn,
      description: 'Adobe I/O project client id (recipient_client_id to accept)',
    },
    extraEnv: (ctx) => ({
      [ENV.adobeIoKeyBaseUrl]:
        (ctx.stack.node.tryGetContext('tourniquet:adobeIoKeyBaseUrl') as string | undefined) ??
        'https://static.adobeioevents.com',
    }),
  },
  {
    name: 'ingest-commerce-webhook',
    output: 'CommerceWebhookUrl',
    secret: {
      id: 'CommerceWebhookPublicKey',
      env: ENV.commerceWebhookKeySecretArn,
      description: 'Adobe Commerce webhook public key (PEM) from Admin > Adobe Services > Webhooks',
    },
  },
  {
    name: 'ingest-adyen-webhook',
    output: 'AdyenWebhookUrl',
    secret: {
      id: 'AdyenHmacKey',
      env: ENV.adyenHmacKeySecretArn,
      description: 'Adyen webhook HMAC key (hex) from the Customer Area',
    },
  },
  {
    name: 'ingest-braintree-webhook',
    output: 'BraintreeWebhookUrl',
    secret: {
      id: 'BraintreeKeys',
      env: ENV.braintreeKeysSecretArn,
      description: 'Braintree API keys as JSON {"publicKey","privateKey"}',
    },
  },
  {
    name: 'ingest-ecomscan-webhook',
    output: 'EcomscanWebhookUrl',
    secret: {
      id: 'EcomscanWebhookSecret',
      env: ENV.ecomscanSecretArn,
      description: 'Shared secret of the eComscan webhook (hex HMAC-SHA256)',
    },
  },
  {
    name: 'ingest-kyc-webhook',
    output: 'KycWebhookUrl',
    secret: {
      id: 'KycWebhookSecret',
      env: ENV.kycSecretArn,
      description: 'Identity-verification webhook secret key (X-Payload-Digest)',
    },
  },
  {
    name: 'ingest-detector-webhook',
    output: 'DetectorWebhookUrl',
    secret: {
      id: 'DetectorWebhookSecret',
      env: ENV.detectorSecretArn,
      description: 'Shared secret of the third-party deepfake detector webhook (hex HMAC-SHA256)',
    },
    // the detector score is judged with the same thresholds as check-media's
    extraEnv: (ctx) => ({
      [MEDIA_ENV.thresholds]:
        (ctx.stack.node.tryGetContext('tourniquet:mediaThresholds') as string | undefined) ?? '{}',
    }),
  },
  {
    name: 'ingest-magento-log-batch',
    output: 'MagentoLogBatchUrl',
    secret: {
      id: 'MagentoLogShipperSecret',
      env: ENV.magentoLogSecretArn,
      description: 'Signing secret shared with the Magento log shipper',
    },
  },
];

/**
 * Issue 3 — ingest and the incident core: every webhook source, the partner-event path, the
 * idempotency table of triage-alert and the scheduled timeline export to the evidence bucket.
 */
export function addIngest(ctx: ResponderContext): void {
  const { stack, bus, key, quarantineBucket, evidenceBucket, dlq } = ctx;
  const base = {
    [ENV.busName]: bus.eventBusName,
    [ENV.quarantineBucket]: quarantineBucket.bucketName,
  };
  const secrets: Secret[] = [];
  for (const w of WEBHOOKS) {
    const secret = new Secret(stack, w.secret.id, {
      description: `${w.secret.description}; set the value after deploy`,
      encryptionKey: key,
    });
    secrets.push(secret);
    const f = ctx.fn(w.name, {
      ...base,
      [w.secret.env]: secret.secretArn,
      ...(w.extraEnv?.(ctx) ?? {}),
    });
    bus.grantPutEventsTo(f.fn);
    quarantineBucket.grantPut(f.fn);
    secret.grantRead(f.fn);
    const url = f.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new CfnOutput(stack, w.output, { value: url.url, description: `POST endpoint of ${w.name}` });
  }
  for (const secret of secrets) {
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'Vendor-issued webhook credential: rotated at the vendor, then stored here (docs/ingest.md).',
    );
  }

  // Stripe and Adobe I/O events through EventBridge partner event sources (account-specific names).
  const partner = ctx.fn('ingest-partner-event', base);
  bus.grantPutEventsTo(partner.fn);
  quarantineBucket.grantPut(partner.fn);
  const partnerBuses = String(stack.node.tryGetContext('tourniquet:partnerEventBuses') ?? '')
    .split(',')
    .filter(Boolean);
  partnerBuses.forEach((name, i) => {
    new Rule(stack, `PartnerEvents${i}`, {
      eventBus: EventBus.fromEventBusName(stack, `PartnerBus${i}`, name),
      description: `Partner events from ${name} → ingest-partner-event`,
      eventPattern: { source: [{ prefix: 'aws.partner/' }] as unknown as string[] },
      targets: [new LambdaTarget(partner.fn, { deadLetterQueue: dlq, retryAttempts: 8 })],
    });
  });

  // Powertools idempotency of triage-alert (one persistence layer, keyed on the alert id).
  const idempotency = new TableV2(stack, 'IdempotencyTable', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(key),
    timeToLiveAttribute: 'expiration',
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const triage = ctx.functions.triage;
  if (triage) {
    triage.fn.addEnvironment(ENV.idempotencyTable, idempotency.tableName);
    idempotency.grantReadWriteData(triage.fn);
  }

  // Hourly export of every recent timeline to the Object Lock evidence bucket.
  const exporter = ctx.fn('export-timelines', { [ENV.evidenceBucket]: evidenceBucket.bucketName });
  evidenceBucket.grantPut(exporter.fn);
  acknowledge(
    exporter,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::tourniquet-evidence-<AWS::AccountId>-<AWS::Region>-${ctx.config.stage}/*]`,
    'Objects of the one evidence bucket (keys are incident id + timeline head).',
  );
  new Rule(stack, 'TimelineExportSchedule', {
    description: 'Exports hash-chained timelines to the evidence bucket',
    schedule: Schedule.rate(Duration.hours(1)),
    targets: [new LambdaTarget(exporter.fn, { deadLetterQueue: dlq, retryAttempts: 2 })],
  });
}
