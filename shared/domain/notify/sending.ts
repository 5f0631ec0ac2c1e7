import { EEA_STATES } from '#domain/regulatory/jurisdictions.ts';
import { findTemplate } from './catalog.ts';
import { type CustomerTemplate, type NoticeRegime, regimeFor } from './templates.ts';

/**
 * Which notice a recipient gets, and the key that makes sending idempotent: one send per
 * recipient and template version (a content change is a new version, hence a new key).
 */

export const templateKey = (t: Pick<CustomerTemplate, 'id' | 'version'>): string =>
  `${t.id}-v${t.version}`;

/** Residence → regime (EEA/UK → GDPR 34, US → state notice; elsewhere the GDPR notice, the fullest). */
export function noticeRegimeFor(country: string | null): NoticeRegime {
  return regimeFor(country, EEA_STATES) ?? 'GDPR-34';
}

export function chooseTemplate(contact: {
  country: string | null;
  locale: string;
}): CustomerTemplate {
  const regime = noticeRegimeFor(contact.country);
  const t = findTemplate(regime, contact.locale);
  if (!t) throw new Error(`no customer notice template for ${regime}`);
  return t;
}

/** Regimes the scope's subjects call for (used to check approvals before anything is sent). */
export function regimesForSubjects(subjects: readonly { country: string }[]): NoticeRegime[] {
  return [...new Set(subjects.map((s) => noticeRegimeFor(s.country)))].sort();
}
