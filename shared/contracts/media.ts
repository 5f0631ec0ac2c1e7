import { z } from 'zod';
import { DEFAULT_MEDIA_THRESHOLDS, MEDIA_VERDICTS } from '#domain/media/verdict.ts';

/** Environment names of the media feature (infra sets them, functions parse them). */
export const MEDIA_ENV = {
  thresholds: 'MEDIA_THRESHOLDS',
  rekognitionTps: 'REKOGNITION_TPS',
  rekognitionEnabled: 'REKOGNITION_ENABLED',
  mediaBucket: 'MEDIA_BUCKET',
  canaryBucket: 'CANARY_BUCKET',
  canaryPrefix: 'CANARY_PREFIX',
  metricsNamespace: 'METRICS_NAMESPACE',
  detectorUrl: 'MEDIA_DETECTOR_URL',
  catalogPrefix: 'MEDIA_CATALOG_PREFIX',
  kycApiBase: 'KYC_API_BASE',
  kycApiKeySecretArn: 'KYC_API_KEY_SECRET_ARN',
  /** Read-only Magento DB user for media listings (SELECT on the two gallery tables). */
  listingDbSecretArn: 'MAGENTO_MEDIA_DB_SECRET_ARN',
  /** Where list-magento-media writes the scan's item files (the media bucket). */
  itemFileBucket: 'SCAN_ITEM_BUCKET',
} as const;

export const MediaThresholdsSchema = z.object({
  generatorSoftware: z.array(z.string().min(2)).default(DEFAULT_MEDIA_THRESHOLDS.generatorSoftware),
  minFaceSimilarity: z.number().min(0).max(100).default(DEFAULT_MEDIA_THRESHOLDS.minFaceSimilarity),
  minFaceSharpness: z.number().min(0).max(100).default(DEFAULT_MEDIA_THRESHOLDS.minFaceSharpness),
  contentTypeConfidence: z
    .number()
    .min(0)
    .max(100)
    .default(DEFAULT_MEDIA_THRESHOLDS.contentTypeConfidence),
  detectorSynthetic: z.number().min(0).max(1).default(DEFAULT_MEDIA_THRESHOLDS.detectorSynthetic),
  detectorSuspect: z.number().min(0).max(1).default(DEFAULT_MEDIA_THRESHOLDS.detectorSuspect),
  cleanRequiresTrustedSigner: z
    .boolean()
    .default(DEFAULT_MEDIA_THRESHOLDS.cleanRequiresTrustedSigner),
});

/** `MEDIA_THRESHOLDS` is JSON (partial; defaults fill the rest). */
export function parseThresholds(json: string | undefined) {
  return MediaThresholdsSchema.parse(json ? JSON.parse(json) : {});
}

export const MediaVerdictSchema = z.enum(MEDIA_VERDICTS);

export const MediaSignalSchema = z.object({
  source: z.enum(['c2pa', 'xmp', 'software', 'rekognition', 'detector']),
  name: z.string(),
  effect: z.enum(['synthetic', 'suspected-manipulation', 'supports-clean', 'info']),
  detail: z.string().optional(),
  score: z.number().optional(),
});

/** One S3 object to check (S3 event, alert, scan item, canary item). */
export const MediaItemSchema = z.object({
  bucket: z.string().min(3),
  key: z.string().min(1).max(1024),
  purpose: z.enum(['kyc-selfie', 'kyc-document', 'catalog']).default('catalog'),
  /** KYC: the application id and the ID-document object the selfie is compared with. */
  applicant: z.string().max(128).optional(),
  referenceKey: z.string().max(1024).optional(),
  drill: z.boolean().default(false),
});
export type MediaItem = z.infer<typeof MediaItemSchema>;

export const MediaCheckOutputSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  sha256: z.string(),
  verdict: MediaVerdictSchema,
  signals: z.array(z.string()),
  alerted: z.boolean(),
});
export type MediaCheckOutput = z.infer<typeof MediaCheckOutputSchema>;

/**
 * Where a scan gets a Magento media listing: the Magento database (read-only user) or a listing
 * file in S3 (an export of the gallery join; CSV, TSV, JSON or JSON Lines).
 */
export const MagentoMediaSourceSchema = z
  .object({
    database: z.literal(true).optional(),
    listing: z.object({ bucket: z.string().min(3), key: z.string().min(1).max(1024) }).optional(),
    /** false: skip images whose every store-view row is disabled (not shown anywhere). */
    includeDisabled: z.boolean().default(true),
    maxItems: z.number().int().positive().max(1_000_000).default(100_000),
  })
  .refine((m) => (m.database ? 1 : 0) + (m.listing ? 1 : 0) === 1, {
    message: 'exactly one of database or listing',
  });

/**
 * scan-media input: an S3 prefix (`prefix`), an S3 Inventory (`inventory`), or a Magento media
 * listing (`magento`; each gallery file `/s/k/x.jpg` is checked at `<prefix>s/k/x.jpg`).
 */
export const ScanMediaInputSchema = z.object({
  bucket: z.string().min(3),
  prefix: z.string().default(''),
  purpose: z.enum(['kyc-selfie', 'kyc-document', 'catalog']).default('catalog'),
  drill: z.boolean().default(false),
  inventory: z.object({ bucket: z.string().min(3), manifestKey: z.string().min(1) }).optional(),
  magento: MagentoMediaSourceSchema.optional(),
});

/** list-magento-media task input (built by scan-media's ListMagentoMedia state). */
export const ListMagentoMediaInputSchema = z.object({
  bucket: z.string().min(3),
  prefix: z.string().max(512),
  purpose: z.enum(['kyc-selfie', 'kyc-document', 'catalog']),
  drill: z.boolean(),
  gallery: z.string().max(1100),
  runId: z
    .string()
    .min(1)
    .max(80)
    .regex(/^[A-Za-z0-9_.:-]+$/),
  magento: MagentoMediaSourceSchema,
});
export type ListMagentoMediaInput = z.infer<typeof ListMagentoMediaInputSchema>;

/** One line of the item file: the object to check and its Magento gallery identity. */
export const ListedMediaItemSchema = z.object({
  key: z.string(),
  valueId: z.number().int().nonnegative(),
  entityIds: z.array(z.number().int().nonnegative()),
  disabled: z.boolean(),
});

/** Environment of list-magento-media. */
export const ListMagentoMediaEnvSchema = z.object({
  [MEDIA_ENV.itemFileBucket]: z.string().min(3),
  [MEDIA_ENV.listingDbSecretArn]: z.string().optional(),
});

/**
 * Vendor detector webhook body (third-party deepfake detector; fed through the ingest path by
 * ingest-detector-webhook): the result for one media object, by its S3 location and content hash.
 */
export const DetectorResultSchema = z.object({
  /** The vendor's id of this result (deduplication); defaults to the image hash. */
  resultId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/)
    .optional(),
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  model: z.string().min(1).max(200),
  status: z.enum(['ok', 'error', 'unsupported', 'pending']),
  score: z.number().min(0).max(1).optional(),
  purpose: z.enum(['kyc-selfie', 'kyc-document', 'catalog']).default('catalog'),
  /** KYC application the image belongs to (correlates with the KYC vendor's alerts). */
  applicant: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/)
    .optional(),
  /** When the vendor produced the result (ISO 8601 or epoch). */
  completedAt: z.union([z.string().max(64), z.number()]).optional(),
});
export type DetectorResult = z.infer<typeof DetectorResultSchema>;

/** Environment of the media functions (names from ENV and MEDIA_ENV). */
export const MediaEnvSchema = z.object({
  INCIDENT_TABLE: z.string().min(3),
  EVENT_BUS_NAME: z.string().min(1),
  TOURNIQUET_STAGE: z.string().default('prod'),
  [MEDIA_ENV.thresholds]: z.string().optional(),
  [MEDIA_ENV.rekognitionEnabled]: z.enum(['true', 'false']).default('true'),
  [MEDIA_ENV.rekognitionTps]: z.coerce.number().positive().default(5),
  [MEDIA_ENV.detectorUrl]: z.url().optional(),
  [MEDIA_ENV.mediaBucket]: z.string().optional(),
  [MEDIA_ENV.canaryBucket]: z.string().optional(),
  [MEDIA_ENV.canaryPrefix]: z.string().default('canary/'),
  [MEDIA_ENV.metricsNamespace]: z.string().default('Tourniquet/Media'),
});

/** Accepted by check-media: a media item, an S3 "Object Created" EventBridge event, or a `MediaUploaded` bus event. */
export const CheckMediaEventSchema = z.union([
  MediaItemSchema.extend({ gallery: z.string().max(256).optional() }),
  z
    .object({
      'detail-type': z.literal('Object Created'),
      detail: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({ key: z.string() }),
      }),
    })
    .transform((e) =>
      MediaItemSchema.parse({ bucket: e.detail.bucket.name, key: e.detail.object.key }),
    ),
  z
    .object({ 'detail-type': z.literal('MediaUploaded'), detail: MediaItemSchema })
    .transform((e) => e.detail),
]);

/** list-magento-media output: the JSON item file the Distributed Map reads, and what was left out. */
export const ScanManifestSchema = z.object({
  manifest: z.object({ bucket: z.string(), key: z.string() }),
  count: z.number().int().nonnegative(),
  gallery: z.string(),
  skipped: z.object({
    disabled: z.number().int().nonnegative(),
    invalidPath: z.number().int().nonnegative(),
    overLimit: z.number().int().nonnegative(),
  }),
});
export type ScanManifest = z.infer<typeof ScanManifestSchema>;

/** Optional environment of the media containment levers (execute-containment). */
export const MediaLeversEnvSchema = z.object({
  QUARANTINE_BUCKET: z.string().optional(),
  MAGENTO_DB_SECRET_ARN: z.string().optional(),
  [MEDIA_ENV.catalogPrefix]: z.string().default('catalog/product'),
  [MEDIA_ENV.kycApiBase]: z.url().optional(),
  [MEDIA_ENV.kycApiKeySecretArn]: z.string().optional(),
});
