import { createHash } from 'node:crypto';

/**
 * Customer-notice templates per regime and locale (stored as SES v2 templates named
 * `<id>-v<version>`), the content each regime requires, approvals bound to a content hash, and
 * batching for SendBulkEmail (50 destinations per call).
 */

export type NoticeRegime = 'GDPR-34' | 'US-STATE' | 'DORA-19-3';

export interface CustomerTemplate {
  id: string;
  regime: NoticeRegime;
  locale: string;
  version: number;
  subject: string;
  text: string;
  html: string;
}

export interface TemplateApproval {
  templateId: string;
  version: number;
  contentHash: string;
  approver: string;
  approvedAt: string;
}

interface Requirement {
  element: string;
  /** Placeholder the notice must contain (filled per incident / recipient). */
  placeholder?: string;
  /** Text that must appear (per locale); used for statutory headings. */
  text?: Record<string, string>;
}

/** What each regime requires in the notice (reference/regulatory.md §1 "Minimum content"). */
export const REQUIRED_CONTENT: Record<NoticeRegime, Requirement[]> = {
  // GDPR Art 34(2): clear and plain language; nature of the breach + Art 33(3)(b)-(d)
  'GDPR-34': [
    { element: 'nature of the breach (34(2))', placeholder: 'natureOfBreach' },
    {
      element: 'name and contact details of the DPO or contact point (33(3)(b))',
      placeholder: 'dpoContact',
    },
    { element: 'likely consequences (33(3)(c))', placeholder: 'likelyConsequences' },
    {
      element: 'measures taken or proposed, incl. mitigation (33(3)(d))',
      placeholder: 'measuresTaken',
    },
    { element: 'recipient greeting', placeholder: 'firstname' },
  ],
  // US state content lists (CA Civ. Code 1798.82 headings; CO/FL/WA/TX elements)
  'US-STATE': [
    { element: 'heading "What Happened"', text: { en: 'What Happened' } },
    {
      element: 'heading "What Information Was Involved"',
      text: { en: 'What Information Was Involved' },
    },
    { element: 'heading "What We Are Doing"', text: { en: 'What We Are Doing' } },
    { element: 'heading "What You Can Do"', text: { en: 'What You Can Do' } },
    { element: 'heading "For More Information"', text: { en: 'For More Information' } },
    { element: 'date or date range of the breach', placeholder: 'breachDate' },
    { element: 'types of personal information', placeholder: 'dataTypes' },
    { element: 'contact information of the business', placeholder: 'contactInfo' },
    {
      element: 'consumer reporting agencies and FTC contact details (CO, WA)',
      text: { en: 'Federal Trade Commission' },
    },
  ],
  // DORA Art 19(3): inform clients without undue delay of the incident and the measures taken
  'DORA-19-3': [
    { element: 'the major ICT-related incident', placeholder: 'natureOfBreach' },
    { element: "impact on the client's financial interests", placeholder: 'financialImpact' },
    { element: 'measures taken to mitigate adverse effects', placeholder: 'measuresTaken' },
    { element: 'contact point', placeholder: 'dpoContact' },
  ],
};

export interface LintFinding {
  templateId: string;
  version: number;
  missing: string;
}

/** Every required element must appear in both the text and the HTML part. */
export function lintTemplate(t: CustomerTemplate): LintFinding[] {
  const out: LintFinding[] = [];
  for (const r of REQUIRED_CONTENT[t.regime]) {
    const parts = [t.text, t.html];
    let ok = true;
    if (r.placeholder) ok &&= parts.every((p) => p.includes(`{{${r.placeholder}}}`));
    if (r.text) {
      const needed = r.text[t.locale.split('-')[0] ?? ''] ?? r.text.en;
      ok &&= needed !== undefined && parts.every((p) => p.includes(needed));
    }
    if (!ok) out.push({ templateId: t.id, version: t.version, missing: r.element });
  }
  if (!t.subject.trim()) out.push({ templateId: t.id, version: t.version, missing: 'subject' });
  return out;
}

function canonical(t: CustomerTemplate): string {
  return JSON.stringify([t.id, t.version, t.regime, t.locale, t.subject, t.text, t.html]);
}

export const contentHash = (t: CustomerTemplate): string =>
  createHash('sha256').update(canonical(t)).digest('hex');

export const sesTemplateName = (t: { id: string; version: number }): string =>
  `tourniquet-${t.id}-v${t.version}`;

/** A template may be sent only while this exact version and content carry an approval. */
export function approvalFor(
  t: CustomerTemplate,
  approvals: readonly TemplateApproval[],
): TemplateApproval | undefined {
  const h = contentHash(t);
  return approvals.find(
    (a) => a.templateId === t.id && a.version === t.version && a.contentHash === h,
  );
}

/** SES-compatible `{{name}}` substitution (values are HTML-escaped for the HTML part). */
export function render(
  t: CustomerTemplate,
  data: Record<string, string>,
): { subject: string; text: string; html: string } {
  const sub = (s: string, esc: boolean) =>
    s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
      const v = data[k] ?? '';
      return esc ? v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : v;
    });
  return { subject: sub(t.subject, false), text: sub(t.text, false), html: sub(t.html, true) };
}

/** Splits recipients into SendBulkEmail batches (SES allows at most 50 destinations per call). */
export function* batches<T>(items: Iterable<T>, size = 50): Generator<T[]> {
  let cur: T[] = [];
  for (const it of items) {
    cur.push(it);
    if (cur.length === size) {
      yield cur;
      cur = [];
    }
  }
  if (cur.length) yield cur;
}

/** Which notice regime a recipient's residence calls for. */
export function regimeFor(
  country: string | null,
  eea: ReadonlySet<string>,
): NoticeRegime | undefined {
  if (!country) return undefined;
  if (country === 'US') return 'US-STATE';
  if (eea.has(country) || country === 'GB') return 'GDPR-34';
  return undefined;
}
