/** Incident vocabulary shared by triage, playbooks, regulatory and reporting. */
export const CLASSIFICATIONS = [
  'pii-breach',
  'synthetic-data',
  'deepfake-media',
  'payment-fraud',
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type IncidentStatus = 'open' | 'containing' | 'contained' | 'escalated' | 'closed';

export interface Incident {
  incidentId: string;
  status: IncidentStatus;
  classification: Classification;
  severity: Severity;
  severityRuleVersion: string;
  playbook: string;
  correlationKeys: string[];
  alertIds: string[];
  openedAt: string;
  updatedAt: string;
  drill: boolean;
}

/** Flattened correlation keys, `type:value` (values are ids or hashes, never raw PII). */
export type CorrelationKey = string;
