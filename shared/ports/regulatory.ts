import type { RegulatoryCase } from '#domain/regulatory-workflow/case.ts';
import type { TimelineEntry, TimelineEntryDraft } from '#domain/timeline.ts';

/** Ports of the regulator workflow: its own table, reminders, mail, task tokens, executions. */

export type ObligationStatus =
  | 'pending'
  | 'drafting'
  | 'drafted'
  | 'awaiting-approval'
  | 'sending'
  | 'sent'
  | 'rejected'
  | 'failed'
  | 'withdrawn';

export interface DraftRecord {
  subject: string;
  text: string;
  sha256: string;
  missing: string[];
  templateId: string;
  templatesVersion: string;
  renderedAt: string;
}

export type NoticeDelivery = 'authority' | 'drill-recipient' | 'dry-run';

export interface ObligationRecord {
  incidentId: string;
  key: string;
  regime: string;
  report: string;
  recipient: string;
  recipientName?: string | undefined;
  due: string | null;
  dueRule: string;
  basis: string;
  clockStart: string;
  status: ObligationStatus;
  factsHash: string;
  /** Execution that holds the obligation (drafting → sent); a new facts hash releases it. */
  claim?: string | undefined;
  draft?: DraftRecord | undefined;
  taskToken?: string | undefined;
  approval?: { approver: string; reason?: string | undefined; at: string } | undefined;
  rejection?: { approver: string; reason?: string | undefined; at: string } | undefined;
  sentAt?: string | undefined;
  messageId?: string | undefined;
  /** How the notice left: to the authority, or (drill cases) to the drill mailbox / dry run. */
  delivery?: NoticeDelivery | undefined;
  evidence?: { bucket: string; key: string; sha256: string } | undefined;
  missed?: boolean | undefined;
  updatedAt: string;
}

export interface ObligationCondition {
  status?: ObligationStatus[];
  claim?: string;
  notStatus?: ObligationStatus[];
}

export interface RegulatoryStore {
  getCase(incidentId: string): Promise<RegulatoryCase | undefined>;
  /** Optimistic write: false when someone else wrote version `expectedVersion + 1` first. */
  putCase(c: RegulatoryCase, expectedVersion: number | undefined): Promise<boolean>;
  listObligations(incidentId: string): Promise<ObligationRecord[]>;
  getObligation(incidentId: string, key: string): Promise<ObligationRecord | undefined>;
  /** False when a record with that key exists (never duplicates). */
  putObligationIfAbsent(rec: ObligationRecord): Promise<boolean>;
  /** Conditional update; false when the condition does not hold. `null` removes an attribute. */
  updateObligation(
    incidentId: string,
    key: string,
    patch: Partial<Record<keyof ObligationRecord, unknown>>,
    cond?: ObligationCondition,
  ): Promise<boolean>;
  appendTimeline(incidentId: string, draft: TimelineEntryDraft): Promise<TimelineEntry>;
  readTimeline(incidentId: string): Promise<TimelineEntry[]>;
}

export interface ReminderTarget {
  incidentId: string;
  key: string;
  stage: string;
  due: string;
}

export interface ReminderScheduler {
  /** Creates or updates the one-time schedule `name` firing at `at` (UTC). */
  upsert(name: string, at: string, payload: ReminderTarget): Promise<void>;
  /** Deletes it; absent is fine. */
  remove(name: string): Promise<void>;
}

export interface Mailer {
  send(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
  }): Promise<{ messageId: string }>;
}

export interface TaskTokens {
  fail(token: string, error: string, cause: string): Promise<void>;
}

export interface ExecutionStarter {
  /** Starts `name` once: the same name again is a no-op (`started: false`). */
  start(name: string, input: unknown): Promise<{ started: boolean }>;
}
