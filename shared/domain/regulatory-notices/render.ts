import type { IncidentFacts, Obligation } from '../regulatory/types.ts';
import type { NarrativeFields } from '../regulatory-workflow/case.ts';

/**
 * Pure renderers of regulator notifications. Each regime's notice carries the content its
 * rule requires (reference/regulatory.md §1 "Minimum content") and nothing personal beyond it:
 * counts, categories, jurisdictions, times, a role contact point. Missing free-text parts are
 * rendered as a visible placeholder and listed in `missing`, so the approver sees the gaps.
 */

export const TEMPLATES_VERSION = '2026.11.1';

export interface NoticeInput {
  incidentId: string;
  obligation: Obligation;
  facts: IncidentFacts;
  narrative: NarrativeFields;
  contactPoint: string;
  aiSystemId?: string | undefined;
  /** When the notice is rendered (drafts before the due time need no delay reasons). */
  renderedAt: string;
  /** Earlier submission of the same regime (follow-up reports reference it). */
  previous?: { report: string; sentAt: string; reference: string } | undefined;
}

export interface Field {
  id: string; // e.g. "33(3)(a)" or "DORA Art 2(1)(a)"
  label: string;
  value: string;
}

export interface RenderedNotice {
  templateId: string;
  templatesVersion: string;
  subject: string;
  fields: Field[];
  missing: string[];
  text: string;
}

const TODO = '[to be completed before approval]';

type Builder = (i: NoticeInput, f: FieldBag) => void;

class FieldBag {
  readonly fields: Field[] = [];
  readonly missing: string[] = [];
  add(id: string, label: string, value: string | number | undefined | null | string[]) {
    const v = Array.isArray(value) ? value.join('; ') : value;
    if (v === undefined || v === null || v === '') {
      this.missing.push(id);
      this.fields.push({ id, label, value: TODO });
    } else this.fields.push({ id, label, value: String(v) });
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(
    ' ',
  ),
);

function subjectsWhere(facts: IncidentFacts, pred: (c: string, r?: string) => boolean) {
  return sum(facts.subjects.filter((s) => pred(s.country, s.region)).map((s) => s.count));
}

function jurisdictions(facts: IncidentFacts, pred: (c: string) => boolean): string {
  const by = new Map<string, number>();
  for (const s of facts.subjects) {
    if (!pred(s.country)) continue;
    const k = s.region ? `${s.country}-${s.region}` : s.country;
    by.set(k, (by.get(k) ?? 0) + s.count);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
}

function stateCode(regime: string): string | undefined {
  return /^US-STATE-([A-Z]{2})$/.exec(regime)?.[1];
}

function common(i: NoticeInput, f: FieldBag) {
  f.add('entity', 'Reporting entity', i.facts.entity.name);
  f.add('reference', 'Incident reference', i.incidentId);
  f.add('aware', 'Awareness (UTC)', i.obligation.clockStart);
  f.add('due', 'Due (UTC)', i.obligation.due ?? i.obligation.dueRule);
  if (i.previous)
    f.add(
      'previous',
      'Previous submission',
      `${i.previous.report} sent ${i.previous.sentAt} (${i.previous.reference})`,
    );
}

const gdpr: Builder = (i, f) => {
  const uk = i.obligation.regime.startsWith('UK-');
  const inScope = (c: string) => (uk ? c === 'GB' : EEA.has(c));
  f.add(
    '33(3)(a)-nature',
    'Nature of the personal data breach',
    i.narrative.natureOfBreach ?? i.facts.summary,
  );
  f.add(
    '33(3)(a)-categories-subjects',
    'Categories of data subjects',
    'customers of the online storefront',
  );
  f.add(
    '33(3)(a)-number-subjects',
    'Approximate number of data subjects',
    subjectsWhere(i.facts, inScope) || undefined,
  );
  f.add(
    '33(3)(a)-jurisdictions',
    'Data subjects by country',
    jurisdictions(i.facts, inScope) || undefined,
  );
  f.add(
    '33(3)(a)-categories-records',
    'Categories of personal data records',
    i.facts.dataCategories,
  );
  f.add(
    '33(3)(a)-number-records',
    'Approximate number of records',
    subjectsWhere(i.facts, inScope) || undefined,
  );
  f.add('33(3)(b)', 'DPO / contact point', i.contactPoint);
  f.add('33(3)(c)', 'Likely consequences', i.narrative.likelyConsequences);
  f.add('33(3)(d)', 'Measures taken or proposed', [
    ...(i.narrative.measuresTaken ?? []),
    ...(i.narrative.measuresProposed ?? []).map((m) => `proposed: ${m}`),
  ]);
  const late = Date.parse(i.renderedAt) > Date.parse(i.obligation.due ?? i.renderedAt);
  if (late) f.add('33(1)-delay', 'Reasons for the delay', i.narrative.delayReasons);
  f.add(
    '33(4)',
    'Phased information',
    i.obligation.report === ('supplementary' as typeof i.obligation.report)
      ? `supplementary information (Art 33(4)) to the ${i.previous ? `${i.previous.report} sent ${i.previous.sentAt}` : 'earlier notification'}; fields above are complete as of ${i.renderedAt}`
      : 'further information will follow without undue further delay (Art 33(4))',
  );
};

const dora: Builder = (i, f) => {
  const d = i.facts.dora ?? {};
  const r = i.obligation.report;
  f.add('detection', 'Date and time of detection', i.facts.timeline.awareAt);
  f.add(
    'classification',
    'Date and time of classification',
    i.facts.timeline.classifiedMajorAt ?? i.obligation.clockStart,
  );
  f.add(
    'description',
    'Description of the incident',
    i.narrative.natureOfBreach ?? i.facts.summary,
  );
  const criteria = [
    d.criticalServicesAffected ? 'critical services affected' : '',
    d.maliciousUnauthorisedAccess ? 'successful malicious unauthorised access (data losses)' : '',
    d.clientsAffected !== undefined ? `clients affected: ${d.clientsAffected}` : '',
    d.clientsAffectedPct !== undefined ? `clients affected: ${d.clientsAffectedPct}%` : '',
    d.dataLosses?.length ? `data losses: ${d.dataLosses.join(', ')}` : '',
    d.reputationalImpact ? 'reputational impact' : '',
    d.economicImpactEur !== undefined ? `economic impact: EUR ${d.economicImpactEur}` : '',
  ].filter(Boolean);
  f.add('criteria', 'Classification criteria triggered', criteria);
  f.add(
    'member-states',
    'Member States affected',
    jurisdictions(i.facts, (c) => EEA.has(c)) ||
      (d.memberStatesAffected !== undefined ? String(d.memberStatesAffected) : undefined),
  );
  f.add('discovery', 'How the incident was discovered', i.narrative.discovery);
  f.add(
    'origin',
    'Origin of the incident',
    d.maliciousUnauthorisedAccess ? 'malicious action (unauthorised access)' : undefined,
  );
  if (r === 'intermediate' || r === 'final') {
    f.add('clients', 'Clients affected', d.clientsAffected);
    f.add(
      'type',
      'Type of incident',
      d.maliciousUnauthorisedAccess ? 'cybersecurity-related' : 'operational',
    );
    f.add('measures', 'Actions taken to recover', i.narrative.measuresTaken);
  }
  if (r === 'final') {
    f.add('root-cause', 'Root cause', i.narrative.rootCause);
    f.add('costs', 'Costs and losses (EUR)', d.economicImpactEur);
    f.add(
      'recurring',
      'Recurring incident',
      d.recurring === undefined ? undefined : String(d.recurring),
    );
  }
};

const aiAct: Builder = (i, f) => {
  const a = i.facts.aiIncident;
  f.add(
    'system',
    'Provider and AI system (EU database id)',
    i.aiSystemId ? `${i.facts.entity.name}, ${i.aiSystemId}` : undefined,
  );
  f.add('annex', 'High-risk category (Annex)', a?.annex);
  f.add(
    'description',
    'Description of the serious incident',
    i.narrative.natureOfBreach ?? i.facts.summary,
  );
  f.add('harms', 'Harm (Art 3(49))', a?.harms);
  f.add('member-states', 'Member State(s) where it occurred', a?.memberStates);
  f.add('causality', 'Causal link with the AI system', i.narrative.rootCause);
  f.add('corrective', 'Corrective action', i.narrative.measuresTaken);
  f.add(
    '73(5)',
    'Completeness',
    'initial report; may be incomplete and followed by a complete report (Art 73(5))',
  );
};

const nydfs: Builder = (i, f) => {
  f.add(
    '500.17(a)',
    'Cybersecurity incident description',
    i.narrative.natureOfBreach ?? i.facts.summary,
  );
  f.add(
    'ny-residents',
    'New York residents affected',
    subjectsWhere(i.facts, (c, r) => c === 'US' && r === 'NY'),
  );
  f.add('categories', 'Categories of information', i.facts.dataCategories);
  f.add('measures', 'Measures taken', i.narrative.measuresTaken);
  if (i.obligation.report !== 'notification')
    f.add('500.17(c)', 'Extortion payment', i.facts.timeline.ransomPaidAt);
};

const sec: Builder = (i, f) => {
  f.add(
    '1.05(a)-nature',
    'Material aspects of the nature of the incident',
    i.narrative.natureOfBreach ?? i.facts.summary,
  );
  f.add(
    '1.05(a)-scope',
    'Scope',
    `${sum(i.facts.subjects.map((s) => s.count))} customer records; categories: ${i.facts.dataCategories.join(', ')}`,
  );
  f.add(
    '1.05(a)-timing',
    'Timing',
    `aware ${i.facts.timeline.awareAt}; materiality determined ${i.facts.timeline.materialityDeterminedAt ?? i.obligation.clockStart}`,
  );
  f.add(
    '1.05(a)-impact',
    'Material impact or reasonably likely material impact',
    i.narrative.materialImpact,
  );
  f.add(
    '1.05(c)',
    'Undetermined information',
    'information not yet determined will be filed by amendment (Instruction 2)',
  );
};

const stateAg: Builder = (i, f) => {
  const st = stateCode(i.obligation.regime)!;
  f.add('state', 'State', st);
  f.add(
    'residents',
    `${st} residents affected`,
    subjectsWhere(i.facts, (c, r) => c === 'US' && r === st),
  );
  f.add('description', 'Description of the breach', i.narrative.natureOfBreach ?? i.facts.summary);
  f.add(
    'dates',
    'Date of discovery / determination',
    i.facts.timeline.determinedAt ?? i.facts.timeline.discoveredAt ?? i.facts.timeline.awareAt,
  );
  f.add('categories', 'Personal information involved', i.facts.dataCategories);
  f.add('measures', 'Steps taken', i.narrative.measuresTaken);
  f.add('contact', 'Contact for the entity', i.contactPoint);
};

const generic: Builder = (i, f) => {
  f.add(
    'description',
    'Description of the incident',
    i.narrative.natureOfBreach ?? i.facts.summary,
  );
  f.add('subjects', 'Individuals affected', sum(i.facts.subjects.map((s) => s.count)) || undefined);
  f.add('categories', 'Categories of information', i.facts.dataCategories);
  f.add('measures', 'Measures taken', i.narrative.measuresTaken);
  f.add('contact', 'Contact point', i.contactPoint);
};

function builderFor(regime: string): [string, Builder] {
  if (regime === 'GDPR-33' || regime === 'UK-GDPR-33') return ['gdpr-33', gdpr];
  if (regime === 'DORA-19' || regime === 'DORA-23') return ['dora-19', dora];
  if (regime === 'EU-AI-ACT-73') return ['ai-act-73', aiAct];
  if (regime === 'NYDFS-500.17') return ['nydfs-500.17', nydfs];
  if (regime === 'SEC-8K-1.05') return ['sec-8k-1.05', sec];
  if (stateCode(regime)) return ['us-state-ag', stateAg];
  return ['generic', generic];
}

/** Renders the notice for one obligation from the incident record. */
export function renderNotice(i: NoticeInput): RenderedNotice {
  const [templateId, build] = builderFor(i.obligation.regime);
  const f = new FieldBag();
  common(i, f);
  build(i, f);
  const o = i.obligation;
  const subject = `[${o.regime} ${o.report}] ${i.facts.entity.name} — incident ${i.incidentId}`;
  const lines = [
    subject,
    `To: ${o.recipientName ?? o.recipient}`,
    `Legal basis: ${o.basis}`,
    `Deadline rule: ${o.dueRule}`,
    '',
    ...f.fields.map((x) => `${x.label} [${x.id}]: ${x.value}`),
    '',
    `Template ${templateId}@${TEMPLATES_VERSION}`,
  ];
  return {
    templateId,
    templatesVersion: TEMPLATES_VERSION,
    subject,
    fields: f.fields,
    missing: f.missing,
    text: `${lines.join('\n')}\n`,
  };
}
