import { z } from 'zod';

/**
 * Contracts of scope assessment and customer notifications (issue 7): environment names, the
 * state I/O of `notify-customers` and the SES event shape (SES → EventBridge default bus).
 */

export const NOTIFY_ENV = {
  table: 'INCIDENT_TABLE',
  busName: 'EVENT_BUS_NAME',
  stage: 'TOURNIQUET_STAGE',
  scopeBucket: 'SCOPE_BUCKET',
  mapPrefix: 'DATA_MAP_PREFIX',
  emailHmacSecretArn: 'EMAIL_HMAC_SECRET_ARN',
  contactKeyArn: 'CONTACT_VAULT_KEY_ARN',
  sender: 'NOTICE_SENDER',
  configurationSet: 'SES_CONFIGURATION_SET',
  noticeData: 'NOTICE_DATA',
  magentoDbSecretArn: 'MAGENTO_DB_SECRET_ARN',
  storeContacts: 'DATA_MAP_STORE_CONTACTS',
} as const;

/** Per-incident fill-ins of the notice templates that no engine can know (configured per deployment). */
export const NoticeDataSchema = z.record(z.string(), z.string().max(2000));

export const ScopeEnvSchema = z.object({
  [NOTIFY_ENV.table]: z.string().min(3),
  [NOTIFY_ENV.busName]: z.string().min(1),
  [NOTIFY_ENV.stage]: z.string().default('prod'),
  [NOTIFY_ENV.scopeBucket]: z.string().min(3),
  [NOTIFY_ENV.mapPrefix]: z.string().default('data-map/'),
  [NOTIFY_ENV.emailHmacSecretArn]: z.string().min(1),
});

export const NotifyEnvSchema = z.object({
  [NOTIFY_ENV.table]: z.string().min(3),
  [NOTIFY_ENV.stage]: z.string().default('prod'),
  [NOTIFY_ENV.scopeBucket]: z.string().min(3),
  [NOTIFY_ENV.emailHmacSecretArn]: z.string().min(1),
  [NOTIFY_ENV.contactKeyArn]: z.string().min(1),
  [NOTIFY_ENV.sender]: z.email(),
  [NOTIFY_ENV.configurationSet]: z.string().optional(),
  [NOTIFY_ENV.noticeData]: z
    .string()
    .default('{}')
    .transform((v) => NoticeDataSchema.parse(JSON.parse(v))),
});

export const ExportMapEnvSchema = z.object({
  [NOTIFY_ENV.table]: z.string().min(3),
  [NOTIFY_ENV.scopeBucket]: z.string().min(3),
  [NOTIFY_ENV.mapPrefix]: z.string().default('data-map/'),
  [NOTIFY_ENV.emailHmacSecretArn]: z.string().min(1),
  [NOTIFY_ENV.contactKeyArn]: z.string().min(1),
  [NOTIFY_ENV.magentoDbSecretArn]: z.string().min(1),
  [NOTIFY_ENV.storeContacts]: z.enum(['true', 'false']).default('true'),
});

/** Where the leaked artefact is: an S3 object (streamed) or, on the local runtime, a file path. */
export const LeakLocationSchema = z.union([
  z.object({ bucket: z.string().min(3), key: z.string().min(1) }),
  z.object({ path: z.string().min(1) }),
]);

export const AssessScopeInputSchema = z.object({
  incidentId: z.string().min(1),
  leak: LeakLocationSchema,
  /** Without the data map: scope from the file alone (lower confidence, no recipients). */
  useMap: z.boolean().default(true),
  executionId: z.string().optional(),
});
export type AssessScopeInput = z.infer<typeof AssessScopeInputSchema>;

export const NotifyStartSchema = z.object({
  incidentId: z.string().min(1),
  executionId: z.string().optional(),
});

export const RecipientBatchSchema = z.object({
  batchNo: z.int().min(0),
  recipients: z.array(z.string().min(3)).min(1).max(50),
});
export type RecipientBatch = z.infer<typeof RecipientBatchSchema>;

export const SendBatchInputSchema = z.object({
  incidentId: z.string().min(1),
  batch: RecipientBatchSchema,
  executionId: z.string().optional(),
});
export type SendBatchInput = z.infer<typeof SendBatchInputSchema>;

export const FinishNotifyInputSchema = z.object({
  incidentId: z.string().min(1),
  executionId: z.string().optional(),
});

/** The subset of an SES event (EventBridge detail) that is recorded. */
export const SesEventSchema = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  detail: z.looseObject({
    eventType: z.string(),
    mail: z.looseObject({ messageId: z.string().min(1) }),
    bounce: z
      .looseObject({
        bounceType: z.string(),
        bouncedRecipients: z.array(z.looseObject({ emailAddress: z.string() })).default([]),
      })
      .optional(),
    complaint: z
      .looseObject({
        complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })).default([]),
      })
      .optional(),
  }),
});
export type SesEvent = z.infer<typeof SesEventSchema>;

/** SES → EventBridge detail types recorded by record-email-event. */
export const SES_DETAIL_TYPES = [
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
  'Email Rendering Failed',
] as const;
