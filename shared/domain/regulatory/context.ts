import { EEA_STATES } from './jurisdictions.ts';
import { parseInstant } from './time.ts';
import type {
  DataCategory,
  Entity,
  EntityKind,
  IncidentFacts,
  PriorSubmission,
  Recipient,
  Regime,
  Report,
  Subject,
} from './types.ts';

/** Clock anchors of one incident in epoch ms (fallbacks per incident-facts.schema.json). */
export interface Anchors {
  aware: number;
  personalDataAware: number;
  deployerAware: number | undefined;
  classifiedMajor: number | undefined;
  discovered: number;
  determined: number;
  materialityDetermined: number | undefined;
  ransomPaid: number | undefined;
}

export interface Submission {
  regime: Regime;
  report: Report;
  recipient: Recipient | undefined;
  at: number;
}

/** Whether the affected data are personal data (GDPR Art 4(1), Recital 26, EDPB Op. 28/2024). */
export interface PersonalDataAssessment {
  /** Personal or (synthetic) data of individuals are in play for this entity. */
  involved: boolean;
  /** The data are personal data. */
  personal: boolean;
  /** Why not, when involved but not personal. */
  reason: string;
}

/** Everything a regime family needs to evaluate one entity. */
export interface EntityContext {
  facts: IncidentFacts;
  entity: Entity;
  primary: boolean;
  subjects: Subject[];
  anchors: Anchors;
  personalData: PersonalDataAssessment;
  /** Encrypted with the key not compromised: GDPR 34(3)(a), FTC and US state safe harbours. */
  encryptedSafeHarbour: boolean;
  submissions: Submission[];
}

export function hasKind(entity: Entity, ...kinds: EntityKind[]): boolean {
  return kinds.some((k) => entity.kinds.includes(k));
}

function optionalInstant(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseInstant(text);
}

export function buildAnchors(facts: IncidentFacts): Anchors {
  const t = facts.timeline;
  const aware = parseInstant(t.awareAt);
  return {
    aware,
    personalDataAware: optionalInstant(t.personalDataBreachAwareAt) ?? aware,
    deployerAware: optionalInstant(t.deployerAwareAt),
    classifiedMajor: optionalInstant(t.classifiedMajorAt),
    discovered: optionalInstant(t.discoveredAt) ?? aware,
    determined: optionalInstant(t.determinedAt) ?? aware,
    materialityDetermined: optionalInstant(t.materialityDeterminedAt),
    ransomPaid: optionalInstant(t.ransomPaidAt),
  };
}

function buildSubmissions(facts: IncidentFacts): Submission[] {
  return (facts.priorSubmissions ?? []).map((s: PriorSubmission) => ({
    regime: s.regime,
    report: s.report,
    recipient: s.recipient,
    at: parseInstant(s.at),
  }));
}

/** Earliest recorded submission of a report. */
export function earliestSubmission(
  ctx: EntityContext,
  regime: Regime,
  report: Report,
): number | undefined {
  let earliest: number | undefined;
  for (const s of ctx.submissions) {
    if (s.regime !== regime || s.report !== report) continue;
    if (earliest === undefined || s.at < earliest) earliest = s.at;
  }
  return earliest;
}

/** Latest recorded submission of a report (it anchors follow-up clocks). */
export function latestSubmission(
  ctx: EntityContext,
  regime: Regime,
  report: Report,
  recipient?: Recipient,
): number | undefined {
  let latest: number | undefined;
  for (const s of ctx.submissions) {
    if (s.regime !== regime || s.report !== report) continue;
    if (recipient && s.recipient !== undefined && s.recipient !== recipient) continue;
    if (latest === undefined || s.at > latest) latest = s.at;
  }
  return latest;
}

const SYNTHETIC: ReadonlySet<DataCategory> = new Set([
  'synthetic-anonymous',
  'synthetic-memorised',
]);

/** Synthetic data are anonymous only with 0 % near copies and no re-identification. */
export function syntheticAssessmentPasses(facts: IncidentFacts): boolean {
  const a = facts.syntheticAssessment;
  return a !== undefined && a.nearCopiesPct === 0 && !a.reidentificationSucceeded;
}

export function assessPersonalData(
  facts: IncidentFacts,
  subjects: Subject[],
): PersonalDataAssessment {
  const cats = facts.dataCategories;
  const involved = subjects.length > 0 || cats.length > 0;
  if (!involved) return { involved, personal: false, reason: 'No personal data affected.' };
  if (cats.length === 0) return { involved, personal: true, reason: '' };
  const real = cats.some((c) => !SYNTHETIC.has(c));
  const memorised = cats.includes('synthetic-memorised');
  const anonymousClaim = cats.includes('synthetic-anonymous');
  if (real || memorised) return { involved, personal: true, reason: '' };
  if (anonymousClaim && !syntheticAssessmentPasses(facts)) {
    return { involved, personal: true, reason: '' };
  }
  const a = facts.syntheticAssessment;
  return {
    involved,
    personal: false,
    reason: `Only synthetic data assessed anonymous (${a?.nearCopiesPct ?? 0} % near copies, no re-identification): not personal data.`,
  };
}

/** Subjects attributed to an entity (absent or unknown controller -> the reporting entity). */
export function subjectsOf(facts: IncidentFacts, entity: Entity, primary: boolean): Subject[] {
  const names = new Set([facts.entity.name, ...(facts.groupEntities ?? []).map((e) => e.name)]);
  return facts.subjects.filter((s) => {
    const controller = s.controller;
    if (controller === undefined || !names.has(controller)) return primary;
    return controller === entity.name;
  });
}

export function buildContext(
  facts: IncidentFacts,
  entity: Entity,
  primary: boolean,
  anchors: Anchors,
): EntityContext {
  const subjects = subjectsOf(facts, entity, primary);
  const othersOnly = (facts.subjects.length > 0 || !primary) && subjects.length === 0;
  const personalData = othersOnly
    ? { involved: false, personal: false, reason: 'No affected individuals attributed to entity.' }
    : assessPersonalData(facts, subjects);
  const enc = facts.encryption;
  return {
    facts,
    entity,
    primary,
    subjects,
    anchors,
    personalData,
    encryptedSafeHarbour: enc?.encrypted === true && enc.keyCompromised !== true,
    submissions: buildSubmissions(facts),
  };
}

export function countWhere(subjects: Subject[], pred: (s: Subject) => boolean): number {
  let n = 0;
  for (const s of subjects) if (pred(s)) n += s.count;
  return n;
}

/** EU/EEA main establishment (gdpr.mainEstablishment, else the entity country when EEA). */
export function mainEstablishment(entity: Entity): string | undefined {
  const declared = entity.gdpr?.mainEstablishment;
  if (declared) return declared;
  return EEA_STATES.has(entity.country) ? entity.country : undefined;
}
