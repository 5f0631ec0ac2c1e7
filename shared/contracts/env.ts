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
