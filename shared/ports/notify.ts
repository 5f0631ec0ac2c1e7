import type { CustomerTemplate, TemplateApproval } from '#domain/notify/templates.ts';
import type { ScopeResult } from '#domain/scope/assess.ts';

/** Ports of scope application and customer notifications (issue 7). */

/** SES v2 templates, one per template version (`tourniquet-<id>-v<version>`); never overwritten. */
export interface NoticeTemplateStore {
  ensure(template: CustomerTemplate): Promise<'created' | 'exists'>;
}

export interface BulkEntry {
  /** Caller's key to match results (the recipient id). */
  ref: string;
  to: string;
  data: Record<string, string>;
}

export type BulkStatus = 'sent' | 'throttled' | 'failed';

export interface BulkResult {
  ref: string;
  status: BulkStatus;
  messageId?: string;
  /** SES status code, never the address. */
  reason?: string;
}

export interface BulkMailer {
  /** At most 50 entries; a whole-call throttle throws SesThrottledError (nothing was sent). */
  sendBulk(input: {
    from: string;
    templateName: string;
    defaultData: Record<string, string>;
    entries: BulkEntry[];
    tags: Record<string, string>;
  }): Promise<BulkResult[]>;
}

export type SendStatus =
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'complained'
  | 'failed'
  | 'suppressed';

export interface SendRecord {
  incidentId: string;
  recipientId: string;
  /** `<template id>-v<version>` */
  templateKey: string;
  status: SendStatus;
  messageId?: string;
  reason?: string;
  updatedAt: string;
}

export interface StoredScope {
  incidentId: string;
  assessedAt: string;
  result: ScopeResult;
  recipients: number;
  /** The recipient batch file (JSON array of RecipientBatch) the notify workflow reads. */
  recipientFile: { bucket: string; key: string } | null;
}

export interface NotifyTotals {
  recipients: number;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  failed: number;
  suppressed: number;
  unconfirmed: number;
}

export type NotifyProgress = NotifyTotals & {
  batches: number;
  batchesDone?: number;
  finishedAt: string | null;
};

export interface NotifyStore {
  putScope(scope: StoredScope): Promise<void>;
  getScope(incidentId: string): Promise<StoredScope | undefined>;

  putApproval(a: TemplateApproval): Promise<void>;
  listApprovals(templateId: string): Promise<TemplateApproval[]>;

  /** Conditional put per recipient + template version; false when a record already exists. */
  claimSend(r: SendRecord): Promise<boolean>;
  /** Moves a record from `from` to a new status; false when it was not in `from`. */
  transition(
    incidentId: string,
    recipientId: string,
    templateKey: string,
    from: SendStatus[],
    patch: Pick<SendRecord, 'status'> & Partial<Pick<SendRecord, 'messageId' | 'reason'>>,
    at: string,
  ): Promise<boolean>;
  /** Deletes a claim that provably never reached SES (whole-call throttle), so a retry may send. */
  releaseClaim(incidentId: string, recipientId: string, templateKey: string): Promise<void>;
  getSend(
    incidentId: string,
    recipientId: string,
    templateKey: string,
  ): Promise<SendRecord | undefined>;
  listSends(incidentId: string): Promise<SendRecord[]>;
  /** Message id → send record key (for delivery and bounce events). */
  indexMessage(
    messageId: string,
    key: { incidentId: string; recipientId: string; templateKey: string },
  ): Promise<void>;
  findMessage(
    messageId: string,
  ): Promise<{ incidentId: string; recipientId: string; templateKey: string } | undefined>;

  /** The suppression list (own store; keyed by the keyed HMAC of the address). */
  isSuppressed(emailHmac: string): Promise<boolean>;
  suppress(emailHmac: string, reason: string, at: string): Promise<void>;

  putTotals(incidentId: string, totals: NotifyProgress, at: string): Promise<void>;
  getTotals(incidentId: string): Promise<NotifyProgress | undefined>;
  /** Progress counters on the incident (ADD). */
  bump(
    incidentId: string,
    deltas: Partial<Record<keyof NotifyTotals | 'batchesDone', number>>,
    at: string,
  ): Promise<void>;
}

/** Writes the recipient batch file the Distributed Map reads. */
export interface RecipientFileWriter {
  write(
    key: string,
    batches: { batchNo: number; recipients: string[] }[],
  ): Promise<{ bucket: string; key: string }>;
}

/** Streams a leaked artefact through the scope join; recipients are the matched map rows. */
export interface ScopeSource {
  assess(input: { useMap: boolean }): Promise<{ result: ScopeResult; recipients: string[] }>;
}
