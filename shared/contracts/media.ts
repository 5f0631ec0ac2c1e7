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

/** scan-media input: an S3 prefix, or a Magento media listing (product image paths). */
export const ScanMediaInputSchema = z.object({
  bucket: z.string().min(3),
  prefix: z.string().default(''),
  purpose: z.enum(['kyc-selfie', 'kyc-document', 'catalog']).default('catalog'),
  drill: z.boolean().default(false),
  maxItems: z.number().int().positive().max(100_000).default(10_000),
});

/** Vendor detector webhook body (third-party deepfake detector; fed through the ingest path). */
export const DetectorResultSchema = z.object({
  bucket: z.string().min(3),
  key: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  model: z.string().max(200),
  status: z.enum(['ok', 'error', 'unsupported', 'pending']),
  score: z.number().min(0).max(1).optional(),
});

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

/** scan-media → list-media output and the JSON item file the Distributed Map reads. */
export const ScanManifestSchema = z.object({
  manifest: z.object({ bucket: z.string(), key: z.string() }),
  count: z.number().int().nonnegative(),
  gallery: z.string(),
});

/** Optional environment of the media containment levers (execute-containment). */
export const MediaLeversEnvSchema = z.object({
  QUARANTINE_BUCKET: z.string().optional(),
  MAGENTO_DB_SECRET_ARN: z.string().optional(),
  [MEDIA_ENV.catalogPrefix]: z.string().default('catalog/product'),
  [MEDIA_ENV.kycApiBase]: z.url().optional(),
  [MEDIA_ENV.kycApiKeySecretArn]: z.string().optional(),
});
