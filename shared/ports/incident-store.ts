import type { Incident } from '#domain/incident.ts';
import type { TimelineEntry, TimelineEntryDraft } from '#domain/timeline.ts';

export interface ActionRecord {
  incidentId: string;
  action: string;
  status:
    | 'awaiting-approval'
    | 'escalated'
    | 'snapshotted'
    | 'executed'
    | 'failed'
    | 'released'
    | 'skipped';
  preState?: unknown;
  result?: unknown;
  verification?: unknown;
  release?: unknown;
  /** Approval decisions (approver, reason, outcome) recorded for this action. */
  approval?: unknown;
  /** A task token a human resolves (approval gate or escalation); never logged or on the timeline. */
  pending?: { kind: 'approval' | 'escalation'; taskToken: string; since: string };
  updatedAt: string;
}

export interface AlertRecord {
  alertId: string;
  incidentId: string;
  source: string;
  kind: string;
  receivedAt: string;
  occurredAt: string;
  severityHint: string;
  correlationKeys: Record<string, string | string[]>;
  drill: boolean;
}

export interface IncidentStore {
  /** Records a webhook delivery id once (replay protection); false when it was seen before. */
  markDelivery(deliveryId: string, at: string): Promise<boolean>;
  /** Forgets a delivery id (the request it came with was not accepted after all). */
  forgetDelivery?(deliveryId: string): Promise<void>;
  /** Records the alert once; returns the incident it already belongs to when it was seen before. */
  claimAlert(
    alertId: string,
    incidentId: string,
    at: string,
  ): Promise<{ firstTime: boolean; incidentId: string }>;
  saveAlert(record: AlertRecord): Promise<void>;
  /** Claims correlation keys for an incident unless another incident holds them inside the window. */
  findIncidentByKeys(keys: string[], notBefore: string): Promise<string | undefined>;
  /**
   * Claims one correlation key for an incident unless another incident holds it with a claim
   * at or after `notBefore`; returns the holder either way.
   */
  claimKey(
    key: string,
    incidentId: string,
    at: string,
    notBefore: string,
  ): Promise<{ won: boolean; holder: string }>;
  /** Points keys at an incident unconditionally (after joining an existing incident). */
  claimKeys(keys: string[], incidentId: string, at: string): Promise<void>;
  /** Whether an alert id was already triaged, and into which incident. */
  alertClaim(alertId: string): Promise<string | undefined>;
  createIncident(incident: Incident): Promise<boolean>;
  getIncident(incidentId: string): Promise<Incident | undefined>;
  updateIncident(incidentId: string, patch: Partial<Omit<Incident, 'incidentId'>>): Promise<void>;
  /** Applies the patch only if the incident still has `expectedAlertCount` alerts; false otherwise. */
  updateIncidentIf?(
    incidentId: string,
    patch: Partial<Omit<Incident, 'incidentId'>>,
    expectedAlertCount: number,
  ): Promise<boolean>;
  listIncidents(limit?: number): Promise<Incident[]>;
  appendTimeline(incidentId: string, draft: TimelineEntryDraft): Promise<TimelineEntry>;
  readTimeline(incidentId: string): Promise<TimelineEntry[]>;
  /**
   * Claims containment targets (media objects, applicants…) of one lever for one action record
   * (`owner`: the playbook action, or an incremental pass `<action>#<pass>`): each item is
   * claimed at most once per incident and lever, with a conditional put. Returns the items the
   * owner now holds (won now or before); items held by another owner are left out.
   */
  claimItems(
    incidentId: string,
    lever: string,
    owner: string,
    items: string[],
    at: string,
  ): Promise<string[]>;
  /** Every claimed target of a lever in an incident, with its owner. */
  listClaims(incidentId: string, lever: string): Promise<Array<{ item: string; owner: string }>>;
  putAction(record: ActionRecord): Promise<void>;
  getAction(incidentId: string, action: string): Promise<ActionRecord | undefined>;
  listActions(incidentId: string): Promise<ActionRecord[]>;
  listAlerts(incidentId: string): Promise<AlertRecord[]>;
}
