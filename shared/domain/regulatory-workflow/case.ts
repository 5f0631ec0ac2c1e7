import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import type {
  Entity,
  IncidentFacts,
  Obligation,
  PriorSubmission,
  Recipient,
  Subject,
  Timeline,
} from '../regulatory/types.ts';

/**
 * The regulator workflow's own record of an incident (pure): everything needed to compute
 * obligations and render notices is copied into the regulatory table, so nothing here ever
 * reads the storefront or the responder's table.
 */

export type FactsPatch = Partial<
  Omit<IncidentFacts, 'entity' | 'groupEntities' | 'priorSubmissions' | 'timeline'>
> & { timeline?: Partial<Timeline> | undefined };

export interface NarrativeFields {
  natureOfBreach?: string | undefined;
  likelyConsequences?: string | undefined;
  measuresTaken?: string[] | undefined;
  measuresProposed?: string[] | undefined;
  discovery?: string | undefined;
  rootCause?: string | undefined;
  materialImpact?: string | undefined;
  delayReasons?: string | undefined;
}

export interface CaseContacts {
  sender: string;
  complianceOfficer: string;
  escalation: string;
  contactPoint: string;
  authorities: Record<string, string>;
}

export interface RegulatoryCase {
  incidentId: string;
  entity: Entity;
  groupEntities?: Entity[] | undefined;
  contacts: CaseContacts;
  aiSystemId?: string | undefined;
  classification: string;
  severity: string;
  drill: boolean;
  declaredAt: string;
  /** Facts from the classification and scope updates, merged in arrival order. */
  patch: FactsPatch;
  narrative: NarrativeFields;
  scope?: { assessedAt: string; records?: number | undefined } | undefined;
  /** Version of the renderers (templates) in force when the incident was declared. */
  templatesVersion: string;
  factsHash: string;
  version: number;
}

/** Merges a patch: objects deep-merge, arrays and scalars replace (scope re-assessment replaces counts). */
export function mergePatch(base: FactsPatch, patch: FactsPatch): FactsPatch {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object'
        ? { ...(prev as object), ...(v as object) }
        : v;
  }
  return out as FactsPatch;
}

/** The IncidentFacts of the case (without prior submissions: those are added per plan). */
export function assembleFacts(c: Omit<RegulatoryCase, 'factsHash' | 'version'>): IncidentFacts {
  const { timeline, ...rest } = c.patch;
  return {
    entity: c.entity,
    ...(c.groupEntities?.length ? { groupEntities: c.groupEntities } : {}),
    timeline: { awareAt: c.declaredAt, ...timeline },
    subjects: (rest.subjects ?? []) as Subject[],
    dataCategories: rest.dataCategories ?? [],
    ...stripUndefined({ ...rest, subjects: undefined, dataCategories: undefined }),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Identity of a set of facts: a changed fact changes the hash (and reschedules). */
export function factsHash(facts: IncidentFacts, narrative: NarrativeFields = {}): string {
  return createHash('sha256')
    .update(canonicalJson({ facts, narrative }))
    .digest('hex')
    .slice(0, 16);
}

/** One obligation record per regime + report + recipient (+ named recipient). */
export function obligationKey(
  o: Pick<Obligation, 'regime' | 'report' | 'recipient' | 'recipientName'>,
): string {
  const base = `${o.regime}#${o.report}#${o.recipient}`;
  // Counts in a name ("Affected residents (650)") are facts, not identity.
  const name = o.recipientName?.replace(/\s*\(\d+\)$/, '');
  return name ? `${base}#${name}` : base;
}

/** Individuals are notified by the customer-notification workflow, not by this one. */
const INDIVIDUALS: ReadonlySet<Recipient> = new Set([
  'data-subjects',
  'affected-residents',
  'clients',
  'service-recipients',
]);
export const isAuthorityObligation = (o: Pick<Obligation, 'recipient'>) =>
  !INDIVIDUALS.has(o.recipient);

/** The configured address for an obligation: `regime/recipient`, then `recipient`, then `*`. */
export function authorityAddress(
  contacts: Pick<CaseContacts, 'authorities'>,
  o: Pick<Obligation, 'regime' | 'recipient'>,
): string | undefined {
  const a = contacts.authorities;
  return a[`${o.regime}/${o.recipient}`] ?? a[o.recipient] ?? a['*'];
}

export const REMINDER_OFFSETS_H = { 'T-24h': 24, 'T-4h': 4, 'T-1h': 1, due: 0 } as const;
export type ReminderStageName = keyof typeof REMINDER_OFFSETS_H;

/** One-time reminders before a due time (and the due time itself), only those still ahead. */
export function reminderPlan(
  due: string | null,
  now: Date,
): Array<{ stage: ReminderStageName; at: string }> {
  if (!due) return [];
  const dueMs = Date.parse(due);
  return (Object.entries(REMINDER_OFFSETS_H) as Array<[ReminderStageName, number]>)
    .map(([stage, h]) => ({ stage, at: new Date(dueMs - h * 3_600_000).toISOString() }))
    .filter((r) => Date.parse(r.at) > now.getTime());
}

/** A Scheduler-safe name (≤ 64 chars) for one reminder of one obligation. */
export function scheduleName(incidentId: string, key: string, stage: ReminderStageName): string {
  const h = createHash('sha256').update(`${incidentId}\u0000${key}`).digest('hex').slice(0, 24);
  return `trq-${h}-${stage.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** Prior submissions from sent obligations: follow-up clocks run from the actual submission. */
export function priorSubmissions(
  sent: Array<{ regime: string; report: string; recipient: string; sentAt: string }>,
): PriorSubmission[] {
  return sent.map((s) => ({
    regime: s.regime as PriorSubmission['regime'],
    report: s.report as PriorSubmission['report'],
    recipient: s.recipient as PriorSubmission['recipient'],
    at: s.sentAt,
  }));
}

/** Execution name: incident + facts hash (≤ 80 chars, [A-Za-z0-9-_]). Same facts, same execution. */
export function executionName(incidentId: string, hash: string): string {
  return `${incidentId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}-${hash}`;
}

export function onTime(due: string | null, sentAt: string): boolean {
  return due === null || Date.parse(sentAt) <= Date.parse(due);
}
