import { z } from 'zod';

/** Environment variable names: infra sets them, functions parse them. One list, no drift. */
export const ENV = {
  table: 'INCIDENT_TABLE',
  busName: 'EVENT_BUS_NAME',
  evidenceBucket: 'EVIDENCE_BUCKET',
  quarantineBucket: 'QUARANTINE_BUCKET',
  stripeWebhookSecretArn: 'STRIPE_WEBHOOK_SECRET_ARN',
  stripeApiKeySecretArn: 'STRIPE_API_KEY_SECRET_ARN',
  stripeApiBase: 'STRIPE_API_BASE',
  stripeKnownWebhookUrls: 'STRIPE_KNOWN_WEBHOOK_URLS',
  correlationWindowMinutes: 'CORRELATION_WINDOW_MINUTES',
  stage: 'TOURNIQUET_STAGE',
  // ingest (issue 3): webhook secrets by ARN, key host, idempotency table
  adobeIoClientIdSecretArn: 'ADOBE_IO_CLIENT_ID_SECRET_ARN',
  adobeIoKeyBaseUrl: 'ADOBE_IO_KEY_BASE_URL',
  commerceWebhookKeySecretArn: 'COMMERCE_WEBHOOK_PUBLIC_KEY_SECRET_ARN',
  adyenHmacKeySecretArn: 'ADYEN_HMAC_KEY_SECRET_ARN',
  braintreeKeysSecretArn: 'BRAINTREE_KEYS_SECRET_ARN',
  ecomscanSecretArn: 'ECOMSCAN_WEBHOOK_SECRET_ARN',
  kycSecretArn: 'KYC_WEBHOOK_SECRET_ARN',
  magentoLogSecretArn: 'MAGENTO_LOG_SHIPPER_SECRET_ARN',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
} as const;

const common = {
  [ENV.table]: z.string().min(3),
  [ENV.stage]: z.string().default('prod'),
};

export const TriageEnvSchema = z.object({
  ...common,
  [ENV.busName]: z.string().min(1),
  [ENV.correlationWindowMinutes]: z.coerce.number().int().positive().default(60),
});

export const IngestEnvSchema = z.object({
  ...common,
  [ENV.busName]: z.string().min(1),
  [ENV.quarantineBucket]: z.string().min(3),
  [ENV.stripeWebhookSecretArn]: z.string().min(1),
});

export const ContainmentEnvSchema = z.object({
  ...common,
  [ENV.stripeApiKeySecretArn]: z.string().min(1),
  [ENV.stripeApiBase]: z.url().default('https://api.stripe.com'),
  [ENV.stripeKnownWebhookUrls]: z.string().default(''),
});

export const TableOnlyEnvSchema = z.object(common);

/** Parses once at cold start; a missing variable fails loudly with its name, never its value. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const r = schema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(
      `Invalid environment: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
    );
  }
  return r.data;
}
