import type { Clock } from '#ports/clock.ts';

/** Per-service endpoint overrides (the local runtime points these at its stand-ins). */
export interface ClientConfig {
  region: string;
  endpoints?: Partial<
    Record<
      | 'dynamodb'
      | 's3'
      | 'sesv2'
      | 'eventbridge'
      | 'sfn'
      | 'scheduler'
      | 'rekognition'
      | 'kms'
      // containment levers (the local runtime points these at simulators)
      | 'ssm'
      | 'wafv2'
      | 'lambda'
      | 'iam'
      | 'secretsmanager'
      | 'levers-s3'
      | 'levers-eventbridge',
      string
    >
  >;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Everything a function's composition root needs, in AWS or on the local runtime. */
export interface RuntimeConfig {
  env: Record<string, string | undefined>;
  aws: ClientConfig;
  /** Resolves a secret by ARN/name (Secrets Manager through Powertools in AWS). */
  secret: (id: string) => Promise<string>;
  clock: Clock;
}

export function sdkConfig(
  cfg: ClientConfig,
  service: keyof NonNullable<ClientConfig['endpoints']>,
) {
  const endpoint = cfg.endpoints?.[service];
  return {
    region: cfg.region,
    ...(endpoint ? { endpoint } : {}),
    ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
    ...((service === 's3' || service === 'levers-s3') && endpoint ? { forcePathStyle: true } : {}),
    maxAttempts: 3,
  };
}
