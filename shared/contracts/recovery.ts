import { z } from 'zod';

/** Environment of the recovery-gate functions (recover.asl.json). */
export const RECOVERY_ENV = {
  dynamoMode: 'RECOVERY_DYNAMO_MODE',
  magentoMode: 'RECOVERY_MAGENTO_MODE',
  magentoDbSecretArn: 'RECOVERY_MAGENTO_DB_SECRET_ARN',
  rdsIsolatedSecurityGroup: 'RECOVERY_RDS_ISOLATED_SG',
  rdsSubnetGroup: 'RECOVERY_RDS_SUBNET_GROUP',
  rdsInstanceClass: 'RECOVERY_RDS_INSTANCE_CLASS',
  magentoDatabase: 'RECOVERY_MAGENTO_DATABASE',
  tables: 'RECOVERY_SCAN_TABLES',
  fingerprintKeySecretArn: 'RECOVERY_FINGERPRINT_KEY_SECRET_ARN',
  fingerprintRules: 'RECOVERY_FINGERPRINT_RULES',
  registry: 'SYNTHETIC_REGISTRY',
  mediaRules: 'RECOVERY_MEDIA_RULES',
  mediaBucket: 'RECOVERY_MEDIA_BUCKET',
} as const;

/** The S3 object tag check-media writes its verdict to (VERDICT_TAG of check-media-object.ts). */
export const MEDIA_VERDICT_TAG = 'tourniquet:media-verdict';

/**
 * Restored records that reference media: Magento gallery rows (paths under the media bucket's
 * catalog prefix) and DynamoDB items with an `s3://` URI in `mediaObject`.
 */
export const DEFAULT_MEDIA_RULES = [
  {
    location: 'magento:catalog_product_entity_media_gallery',
    field: 'value',
    prefix: 'catalog/product',
  },
  { location: 'dynamodb', field: 'mediaObject' },
];

/** Magento tables scanned in a restored database unless configured otherwise. */
export const DEFAULT_SCAN_TABLES = [
  'customer_entity',
  'customer_address_entity',
  'sales_order',
  'sales_order_address',
  'quote',
  'qa_customer_fixture',
  'catalog_product_entity_media_gallery',
];

/** Fields hashed (keyed HMAC, normalised) to recognise exposed records; same form as the data map. */
export const DEFAULT_FINGERPRINT_RULES = [
  { location: 'magento:customer_entity', fields: ['email'] },
  { location: 'magento:sales_order', fields: ['customer_email'] },
  { location: 'magento:sales_order_address', fields: ['email'] },
  { location: 'magento:quote', fields: ['customer_email'] },
  { location: 'magento:qa_customer_fixture', fields: ['email'] },
  { location: 'dynamodb', fields: ['email'] },
];

const json = <T extends z.ZodType>(schema: T, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      try {
        return schema.parse(JSON.parse(s)) as z.infer<T>;
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: (err as Error).message.split('\n')[0] ?? 'bad JSON',
        });
        return z.NEVER;
      }
    });

export const RecoveryEnvSchema = z.object({
  INCIDENT_TABLE: z.string().min(3),
  [RECOVERY_ENV.dynamoMode]: z.enum(['point-in-time', 'table-copy']).default('point-in-time'),
  [RECOVERY_ENV.magentoMode]: z.enum(['rds-snapshot', 'database-copy', 'none']).default('none'),
  [RECOVERY_ENV.magentoDbSecretArn]: z.string().optional(),
  [RECOVERY_ENV.rdsIsolatedSecurityGroup]: z.string().optional(),
  [RECOVERY_ENV.rdsSubnetGroup]: z.string().optional(),
  [RECOVERY_ENV.rdsInstanceClass]: z.string().optional(),
  [RECOVERY_ENV.magentoDatabase]: z.string().default('magento'),
  [RECOVERY_ENV.tables]: z
    .string()
    .default(DEFAULT_SCAN_TABLES.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  [RECOVERY_ENV.fingerprintKeySecretArn]: z.string().min(1),
  [RECOVERY_ENV.fingerprintRules]: json(
    z.array(z.object({ location: z.string(), fields: z.array(z.string()).min(1) })),
    JSON.stringify(DEFAULT_FINGERPRINT_RULES),
  ),
  [RECOVERY_ENV.registry]: z.string().min(2),
  [RECOVERY_ENV.mediaRules]: json(
    z.array(
      z.object({
        location: z.string().min(1),
        field: z.string().min(1),
        bucket: z.string().min(3).optional(),
        prefix: z.string().optional(),
      }),
    ),
    JSON.stringify(DEFAULT_MEDIA_RULES),
  ),
  [RECOVERY_ENV.mediaBucket]: z.string().min(3).optional(),
});

const Kind = z.enum(['dynamodb', 'magento-db']);

export const StartRestoreInputSchema = z.object({
  incidentId: z.string().min(1),
  kind: Kind,
  source: z.string().min(1).max(200),
  restoreTime: z.string().nullish(),
  snapshotId: z.string().nullish(),
  drill: z.boolean().nullish(),
});
export const CheckRestoreInputSchema = z.object({ kind: Kind, target: z.string().min(1) });
export const ScanRestoreInputSchema = z.object({
  incidentId: z.string().min(1),
  restoreId: z.string().min(1),
  kind: Kind,
  target: z.string().min(1),
  exposedFingerprints: z
    .array(z.string().regex(/^[0-9a-f]{64}$/))
    .max(100_000)
    .optional(),
  mediaVerdicts: z.record(z.string(), z.string()).optional(),
  attempt: z.number().int().nonnegative().optional(),
});
export const RecoveryApprovalInputSchema = z.object({
  incidentId: z.string().min(1),
  restoreId: z.string().min(1),
  target: z.string().min(1),
  taskToken: z.string().min(1),
  purpose: z.enum(['promotion', 'remediation']),
  remove: z.array(z.string()).optional(),
});
export const PromoteRestoreInputSchema = z.object({
  incidentId: z.string().min(1),
  restoreId: z.string().min(1),
  kind: Kind,
  target: z.string().min(1),
  scan: z.object({ blocked: z.boolean(), scanned: z.number() }),
  approval: z.object({
    approver: z.string().min(1),
    decision: z.string().optional(),
    reason: z.string().optional(),
  }),
});
