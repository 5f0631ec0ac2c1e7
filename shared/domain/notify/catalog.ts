import type { CustomerTemplate } from './templates.ts';

/** The customer-notice catalogue (data; versioned: a content change bumps `version`). */

const html = (text: string) =>
  `<html><body>${text
    .split('\n\n')
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;

const gdprEn = `Dear {{firstname}},

We are writing to tell you about a personal data breach that affects you.

What happened: {{natureOfBreach}}

Likely consequences for you: {{likelyConsequences}}

What we have done and propose to do: {{measuresTaken}}

Contact: our data protection officer, {{dpoContact}}, answers your questions.`;

const gdprDe = `Guten Tag {{firstname}},

wir informieren Sie über eine Verletzung des Schutzes Ihrer personenbezogenen Daten.

Was ist passiert: {{natureOfBreach}}

Wahrscheinliche Folgen für Sie: {{likelyConsequences}}

Ergriffene und vorgeschlagene Maßnahmen: {{measuresTaken}}

Kontakt: unser Datenschutzbeauftragter, {{dpoContact}}, beantwortet Ihre Fragen.`;

const usEn = `NOTICE OF DATA BREACH

Dear {{firstname}},

What Happened
{{natureOfBreach}} The breach occurred on or about {{breachDate}}.

What Information Was Involved
{{dataTypes}}

What We Are Doing
{{measuresTaken}}

What You Can Do
You may place a fraud alert or security freeze with the consumer reporting agencies (Equifax, Experian, TransUnion). You can also contact the Federal Trade Commission at www.ftc.gov or 1-877-438-4338.

For More Information
{{contactInfo}}`;

const doraEn = `Dear {{firstname}},

We are informing you of a major ICT-related incident: {{natureOfBreach}}

How it may affect your financial interests: {{financialImpact}}

Measures we have taken to mitigate the adverse effects: {{measuresTaken}}

Contact: {{dpoContact}}`;

const t = (
  id: string,
  regime: CustomerTemplate['regime'],
  locale: string,
  subject: string,
  text: string,
): CustomerTemplate => ({ id, regime, locale, version: 1, subject, text, html: html(text) });

export const TEMPLATE_CATALOG: readonly CustomerTemplate[] = [
  t('gdpr-34-en', 'GDPR-34', 'en', 'Important: a data breach affecting your personal data', gdprEn),
  t('gdpr-34-de', 'GDPR-34', 'de', 'Wichtig: Verletzung des Schutzes Ihrer Daten', gdprDe),
  t('us-state-en', 'US-STATE', 'en', 'Notice of Data Breach', usEn),
  t(
    'dora-19-3-en',
    'DORA-19-3',
    'en',
    'Information about an ICT incident affecting your account',
    doraEn,
  ),
];

export function findTemplate(
  regime: CustomerTemplate['regime'],
  locale: string,
): CustomerTemplate | undefined {
  const lang = locale.split('-')[0];
  return (
    TEMPLATE_CATALOG.find((x) => x.regime === regime && x.locale === lang) ??
    TEMPLATE_CATALOG.find((x) => x.regime === regime && x.locale === 'en')
  );
}
