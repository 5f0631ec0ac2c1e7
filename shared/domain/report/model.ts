import type { ChainVerification, TimelineEntry } from '../timeline.ts';

/**
 * What a report is rendered from. Structurally the IncidentReport of shared/use-cases/report.ts
 * plus optional regulatory and drill facts; kept here so the renderers stay pure domain code.
 */
export interface ReportInput {
  incident: {
    incidentId: string;
    status: string;
    classification: string;
    severity: string;
    playbook: string;
    openedAt: string;
    updatedAt: string;
    drill: boolean;
    alertIds?: string[];
  };
  alerts: Array<{
    alertId: string;
    source: string;
    kind: string;
    receivedAt: string;
    occurredAt: string;
    severityHint: string;
  }>;
  actions: Array<{
    action: string;
    status: string;
    preState?: unknown;
    result?: unknown;
    verification?: unknown;
    release?: unknown;
    approval?: unknown;
    updatedAt: string;
  }>;
  timeline: TimelineEntry[];
  verification: ChainVerification;
  obligations?: ReportObligation[];
  drill?: ReportDrillScore;
  /** When the report was generated (ISO-8601); the renderers never read the wall clock. */
  generatedAt: string;
}

export interface ReportObligation {
  regime: string;
  report: string;
  recipient: string;
  due: string | null;
  /** Start of the clock (absent when the source does not say). */
  clockStart?: string;
  /** pending | drafted | approved | sent | missed | not-required … */
  status: string;
  /** When it was sent (or drafted, for the first-draft metric). */
  sentAt?: string;
}

export interface ReportDrillScore {
  scenario: string;
  storefront: 'up' | 'down';
  passed: boolean;
  timeToClassifySeconds: number | null;
  timeToContainSeconds: number | null;
  timeToFirstRegulatorDraftSeconds: number | null;
  approvalsWaitedOn: number;
  stepsEscalated: number;
  stepsFailed: number;
  failures: string[];
  /** Expected versus actual per check (containment executed, escalations, items changed). */
  expectations?: Array<{ check: string; expected: string; actual: string; ok: boolean }>;
}
