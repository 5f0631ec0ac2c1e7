import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The hash that precedes the first entry of every timeline. */
export const GENESIS_HASH = '0'.repeat(64);

export type TimelineEntryType =
  | 'alert.received'
  | 'incident.declared'
  | 'incident.updated'
  | 'incident.classified'
  | 'containment.planned'
  | 'containment.snapshot'
  | 'containment.executed'
  | 'containment.verified'
  | 'containment.failed'
  | 'containment.released'
  | 'containment.completed'
  | 'approval.requested'
  | 'approval.granted'
  | 'approval.rejected'
  | 'escalation.raised'
  | 'override.applied'
  | 'obligation.scheduled'
  | 'obligation.reminded'
  | 'notification.drafted'
  | 'notification.sent'
  | 'notification.missed'
  | 'scope.assessed'
  | 'customers.notified'
  | 'media.checked'
  | 'recovery.gated'
  | 'incident.closed'
  | 'report.generated';

/** What a writer supplies; sequence and hashes are assigned by `chainEntry`. */
export interface TimelineEntryDraft {
  type: TimelineEntryType;
  at: string; // ISO-8601 UTC
  actor: string; // function, state machine step or person (never an email)
  summary: string; // one line, no personal data
  data?: Record<string, unknown>;
}

export interface TimelineEntry extends TimelineEntryDraft {
  incidentId: string;
  seq: number; // 1-based, gap-free
  prevHash: string;
  hash: string;
}

export function entryHash(entry: Omit<TimelineEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prevHash).update(canonicalJson(entry)).digest('hex');
}

/** Links a draft to the current head of the chain. */
export function chainEntry(
  incidentId: string,
  head: { seq: number; hash: string } | undefined,
  draft: TimelineEntryDraft,
): TimelineEntry {
  const body = {
    ...draft,
    incidentId,
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: entryHash(body) };
}

export type ChainVerification =
  | { verified: true; entries: number; head: string }
  | { verified: false; entries: number; brokenAt: number; reason: string };

/** Recomputes every hash and link; any edit, removal, insertion or reorder is detected. */
export function verifyChain(entries: readonly TimelineEntry[]): ChainVerification {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.seq !== i + 1) {
      return { verified: false, entries: entries.length, brokenAt: i + 1, reason: 'sequence gap' };
    }
    if (e.prevHash !== prev) {
      return { verified: false, entries: entries.length, brokenAt: e.seq, reason: 'broken link' };
    }
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash) {
      return { verified: false, entries: entries.length, brokenAt: e.seq, reason: 'hash mismatch' };
    }
    prev = hash;
  }
  return { verified: true, entries: entries.length, head: prev };
}
