import type { Classification, Severity } from './incident.ts';

/** Bump when a rule changes: the version is stored with every severity decision. */
export const SEVERITY_RULES_VERSION = 'severity-2026.11.1';

export type SeverityHint = 'low' | 'medium' | 'high' | 'critical';

const BASE: Record<SeverityHint, Severity> = {
  critical: 'P1',
  high: 'P2',
  medium: 'P3',
  low: 'P4',
};

/** Customer data in the open is never below P2; everything else follows the source's hint. */
export function decideSeverity(
  hint: SeverityHint,
  classification: Classification,
): { severity: Severity; ruleVersion: string } {
  let severity = BASE[hint];
  if ((classification === 'pii-breach' || classification === 'synthetic-data') && severity > 'P2') {
    severity = 'P2';
  }
  return { severity, ruleVersion: SEVERITY_RULES_VERSION };
}
