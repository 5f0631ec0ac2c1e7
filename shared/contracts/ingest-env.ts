import { z } from 'zod';
import { ENV } from './env.ts';
import { MEDIA_ENV } from './media.ts';

/** What every webhook ingest function needs (table, bus, quarantine, stage). */
export const WebhookBaseEnvSchema = z.object({
  [ENV.table]: z.string().min(3),
  [ENV.stage]: z.string().default('prod'),
  [ENV.busName]: z.string().min(1),
  [ENV.quarantineBucket]: z.string().min(3),
});

const arn = z.string().min(1);

/** Per-function schemas: the secret each one reads, by ARN. */
export const INGEST_ENV = {
  'ingest-adobe-io-webhook': WebhookBaseEnvSchema.extend({
    [ENV.adobeIoClientIdSecretArn]: arn,
    [ENV.adobeIoKeyBaseUrl]: z.url().default('https://static.adobeioevents.com'),
  }),
  'ingest-commerce-webhook': WebhookBaseEnvSchema.extend({
    [ENV.commerceWebhookKeySecretArn]: arn,
  }),
  'ingest-adyen-webhook': WebhookBaseEnvSchema.extend({ [ENV.adyenHmacKeySecretArn]: arn }),
  'ingest-braintree-webhook': WebhookBaseEnvSchema.extend({ [ENV.braintreeKeysSecretArn]: arn }),
  'ingest-ecomscan-webhook': WebhookBaseEnvSchema.extend({ [ENV.ecomscanSecretArn]: arn }),
  'ingest-kyc-webhook': WebhookBaseEnvSchema.extend({ [ENV.kycSecretArn]: arn }),
  'ingest-magento-log-batch': WebhookBaseEnvSchema.extend({ [ENV.magentoLogSecretArn]: arn }),
  'ingest-detector-webhook': WebhookBaseEnvSchema.extend({
    [ENV.detectorSecretArn]: arn,
    /** Media thresholds JSON (same as check-media's MEDIA_THRESHOLDS; defaults fill the rest). */
    [MEDIA_ENV.thresholds]: z.string().optional(),
  }),
  'ingest-partner-event': WebhookBaseEnvSchema,
} as const;

/** The Braintree secret holds both keys as JSON. */
export const BraintreeKeysSchema = z.object({
  publicKey: z.string().min(1),
  privateKey: z.string().min(1),
});

/** Webhook endpoints: route name (POST /webhooks/<route>) → function. */
export const WEBHOOK_ROUTES = {
  'adobe-io': 'ingest-adobe-io-webhook',
  commerce: 'ingest-commerce-webhook',
  stripe: 'ingest-stripe-webhook',
  adyen: 'ingest-adyen-webhook',
  braintree: 'ingest-braintree-webhook',
  ecomscan: 'ingest-ecomscan-webhook',
  kyc: 'ingest-kyc-webhook',
  'magento-log': 'ingest-magento-log-batch',
  detector: 'ingest-detector-webhook',
} as const;
export type WebhookRoute = keyof typeof WEBHOOK_ROUTES;

export const TimelineExportEnvSchema = z.object({
  [ENV.table]: z.string().min(3),
  [ENV.stage]: z.string().default('prod'),
  [ENV.evidenceBucket]: z.string().min(3),
});
