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
  adobeIoKeyBaseUrl: 'ADOBE_IO_PEM_BASE_URL',
  commerceWebhookKeySecretArn: 'COMMERCE_WEBHOOK_PUBLIC_KEY_SECRET_ARN',
  adyenHmacKeySecretArn: 'ADYEN_HMAC_KEY_SECRET_ARN',
  braintreeKeysSecretArn: 'BRAINTREE_KEYS_SECRET_ARN',
  ecomscanSecretArn: 'ECOMSCAN_WEBHOOK_SECRET_ARN',
  kycSecretArn: 'KYC_WEBHOOK_SECRET_ARN',
  magentoLogSecretArn: 'MAGENTO_LOG_SHIPPER_SECRET_ARN',
  detectorSecretArn: 'DETECTOR_WEBHOOK_SECRET_ARN',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  // containment levers (issue 5)
  magentoDbSecretArn: 'MAGENTO_DB_SECRET_ARN',
  magentoSsmTargets: 'MAGENTO_SSM_TARGETS',
  magentoRoot: 'MAGENTO_ROOT',
  magentoRunAs: 'MAGENTO_RUN_AS',
  magentoPaymentMethods: 'MAGENTO_PAYMENT_METHODS',
  magentoMaintenanceAllowIps: 'MAGENTO_MAINTENANCE_ALLOW_IPS',
  magentoProtectedIntegrations: 'MAGENTO_PROTECTED_INTEGRATIONS',
  wafConfig: 'WAF_CONFIG',
  breakGlassRoleArn: 'BREAK_GLASS_ROLE_ARN',
  trainingPipeline: 'TRAINING_PIPELINE',
  adyenApiBase: 'ADYEN_API_BASE',
  adyenApiKeySecretArn: 'ADYEN_API_KEY_SECRET_ARN',
  adyenConfig: 'ADYEN_CONFIG',
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

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema.optional());

export const WafConfigSchema = z.object({
  ipSet: z.object({ name: z.string(), id: z.string(), scope: z.enum(['REGIONAL', 'CLOUDFRONT']) }),
  webAcl: z.object({ name: z.string(), id: z.string(), scope: z.enum(['REGIONAL', 'CLOUDFRONT']) }),
  rulePriority: z.number().int().nonnegative(),
  exportPaths: z.array(z.string().startsWith('/')).min(1),
});
export const TrainingPipelineSchema = z.object({
  functions: z.array(z.string()).default([]),
  eventSourceMappings: z.array(z.string()).default([]),
  rules: z.array(z.object({ name: z.string(), bus: z.string().optional() })).default([]),
  iamUsers: z.array(z.string()).default([]),
  secrets: z.array(z.string()).default([]),
});
export const AdyenConfigSchema = z.object({
  merchantId: z.string(),
  credentials: z.array(z.object({ id: z.string(), keySecretArn: z.string().optional() })),
  allowedOrigins: z.array(z.string()).default([]),
});

/** Extra configuration of execute-containment's levers: every lever is optional (absent = not configured). */
export const ContainmentLeversEnvSchema = z.object({
  [ENV.magentoDbSecretArn]: z.string().optional(),
  [ENV.magentoSsmTargets]: list,
  [ENV.magentoRoot]: z
    .string()
    .regex(/^\/[A-Za-z0-9_./-]+$/)
    .default('/var/www/magento'),
  [ENV.magentoRunAs]: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/)
    .default('www-data'),
  [ENV.magentoPaymentMethods]: list,
  [ENV.magentoMaintenanceAllowIps]: list,
  [ENV.magentoProtectedIntegrations]: list,
  [ENV.wafConfig]: json(WafConfigSchema),
  [ENV.breakGlassRoleArn]: z.string().optional(),
  [ENV.trainingPipeline]: json(TrainingPipelineSchema),
  [ENV.adyenApiBase]: z.url().default('https://management-test.adyen.com'),
  [ENV.adyenApiKeySecretArn]: z.string().optional(),
  [ENV.adyenConfig]: json(AdyenConfigSchema),
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
