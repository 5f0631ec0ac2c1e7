import { z } from 'zod';
import { CLASSIFICATIONS, SEVERITIES } from '#domain/incident.ts';

export const ALERT_SOURCES = [
  'stripe',
  'adyen',
  'braintree',
  'adobe-io',
  'commerce-webhook',
  'ecomscan',
  'kyc',
  'magento-log',
  'media-check',
  'media-detector',
  'drill',
] as const;

/** Correlation keys carry ids and hashes only: never a raw email, name or card number. */
export const CorrelationKeysSchema = z
  .object({
    customerIds: z.array(z.string().max(128)).optional(),
    emailHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
    adminUser: z.string().max(128).optional(),
    integration: z.string().max(128).optional(),
    ip: z.string().max(64).optional(),
    orderIds: z.array(z.string().max(128)).optional(),
    cardFingerprints: z.array(z.string().max(128)).optional(),
    paymentIntents: z.array(z.string().max(128)).optional(),
    gatewayAccount: z.string().max(128).optional(),
    dataset: z.string().max(256).optional(),
    mediaObject: z.string().max(1024).optional(),
    applicant: z.string().max(128).optional(),
    /** Storefront host or instance name (scanner findings). */
    storefront: z.string().max(256).optional(),
  })
  .strict();

export const EvidencePointerSchema = z.object({
  bucket: z.string().optional(),
  key: z.string().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

/** Version 1 of the normalised alert: detail-type `Alert` on the `tourniquet` bus. */
export const AlertSchema = z.object({
  schemaVersion: z.literal(1),
  alertId: z.string().min(1).max(200),
  source: z.enum(ALERT_SOURCES),
  kind: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/),
  severityHint: z.enum(['low', 'medium', 'high', 'critical']),
  occurredAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
  sourceEventId: z.string().max(200),
  summary: z.string().max(500),
  correlationKeys: CorrelationKeysSchema,
  evidence: EvidencePointerSchema,
  drill: z.boolean().default(false),
});
export type Alert = z.infer<typeof AlertSchema>;

export const ClassificationSchema = z.enum(CLASSIFICATIONS);
export const SeveritySchema = z.enum(SEVERITIES);
