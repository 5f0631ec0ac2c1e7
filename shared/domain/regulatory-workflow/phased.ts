import { createHash } from 'node:crypto';

/**
 * GDPR / UK GDPR Art. 33(4): information not available at the time of the notification is
 * provided in phases, without undue further delay. After a notification was sent, a change of
 * the Art. 33(3) content (counts, jurisdictions, categories, nature, consequences, measures) owes
 * the same authority a supplementary notice; a change elsewhere (another regime's facts) does not.
 */
export const PHASED_REGIMES: ReadonlySet<string> = new Set(['GDPR-33', 'UK-GDPR-33']);
export const SUPPLEMENTARY_REPORT = 'supplementary';
export const SUPPLEMENTARY_BASIS = 'GDPR Art. 33(4) (information provided in phases)';
export const SUPPLEMENTARY_DUE_RULE =
  'Art. 33(4): without undue further delay once the further information is available (no fixed deadline).';

/** The Art. 33(3) lines of a rendered notice (`Label [33(3)…]: value`), in order. */
export function article33Content(text: string): string[] {
  return text.split('\n').filter((l) => /\[33\(3\)/.test(l));
}

/** Identity of a set of Art. 33(3) content: one supplementary notice per content. */
export function contentHash(lines: string[]): string {
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);
}

export function supplementaryKey(regime: string, recipient: string, hash: string): string {
  return `${regime}#${SUPPLEMENTARY_REPORT}#${recipient}#${hash}`;
}

/** True when what would be notified now differs from what was last sent. */
export function supplementOwed(lastSentText: string, currentText: string): boolean {
  const a = article33Content(lastSentText);
  const b = article33Content(currentText);
  return a.length > 0 && b.join('\n') !== a.join('\n');
}
