import { randomUUID } from 'node:crypto';
import type { Alert } from '#contracts/alert.ts';
import { DETAIL_TYPE, EVENT_SOURCE, type IncidentEvent } from '#contracts/events.ts';
import { classifyAlertKind } from '#domain/classification.ts';
import type { Incident } from '#domain/incident.ts';
import { selectPlaybook } from '#domain/playbooks.ts';
import { decideSeverity } from '#domain/severity.ts';
import type { Clock } from '#ports/clock.ts';
import type { EventPublisher } from '#ports/event-publisher.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { RetryableError } from '#runtime/errors.ts';

export interface TriageDeps {
  store: IncidentStore;
  publisher: EventPublisher;
  clock: Clock;
  correlationWindowMinutes: number;
  newId?: () => string;
}

export interface TriageResult {
  incidentId: string;
  outcome: 'declared' | 'updated' | 'duplicate';
}

/** Flattens correlation keys to `type:value` strings. */
export function flattenKeys(keys: Alert['correlationKeys']): string[] {
  const out: string[] = [];
  for (const [type, value] of Object.entries(keys)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v) out.push(`${type}:${v}`);
  }
  return out.sort();
}

/**
 * Correlates an alert into an incident: same key inside the window → same incident.
 * Idempotent: the alert id is claimed with a conditional put before anything else happens.
 */
export async function triageAlert(deps: TriageDeps, alert: Alert): Promise<TriageResult> {
  const now = deps.clock.now().toISOString();
  const seen = await deps.store.alertClaim(alert.alertId);
  if (seen) return { incidentId: seen, outcome: 'duplicate' };
  const keys = flattenKeys(alert.correlationKeys);
  const windowStart = new Date(
    Date.parse(alert.occurredAt) - deps.correlationWindowMinutes * 60_000,
  ).toISOString();
  const { incidentId, isNew } = await correlate(deps, alert, keys, windowStart);
  const classification = classifyAlertKind(alert.kind);
  const { severity, ruleVersion } = decideSeverity(alert.severityHint, classification);
  const playbook = selectPlaybook(classification);
  if (isNew) {
    await deps.store.createIncident({
      incidentId,
      status: 'open',
      classification,
      severity,
      severityRuleVersion: ruleVersion,
      playbook: playbook.id,
      correlationKeys: keys,
      alertIds: [alert.alertId],
      openedAt: now,
      updatedAt: now,
      drill: alert.drill,
    });
  }
  const incident = await waitForIncident(deps.store, incidentId);
  const claim = await deps.store.claimAlert(alert.alertId, incidentId, now);
  if (!claim.firstTime) return { incidentId: claim.incidentId, outcome: 'duplicate' };
  await deps.store.saveAlert({
    alertId: alert.alertId,
    incidentId,
    source: alert.source,
    kind: alert.kind,
    receivedAt: alert.receivedAt,
    occurredAt: alert.occurredAt,
    severityHint: alert.severityHint,
    correlationKeys: alert.correlationKeys,
    drill: alert.drill,
  });
  await deps.store.appendTimeline(incidentId, {
    type: 'alert.received',
    at: now,
    actor: 'triage-alert',
    summary: `${alert.source} ${alert.kind}`,
    data: { alertId: alert.alertId, evidenceSha256: alert.evidence.sha256, keys: keys.length },
  });
  // The founding alert declares (also when a retry follows a crash after createIncident).
  const founding = incident.alertIds[0] === alert.alertId;
  const detail: IncidentEvent = {
    incidentId,
    classification: incident.classification,
    severity: incident.severity,
    playbook: incident.playbook,
    alertId: alert.alertId,
    drill: incident.drill,
  };
  if (founding) {
    await deps.store.appendTimeline(incidentId, {
      type: 'incident.declared',
      at: now,
      actor: 'triage-alert',
      summary: `${incident.classification} ${incident.severity}, playbook ${playbook.id}@${playbook.version}`,
      data: {
        classification: incident.classification,
        severity: incident.severity,
        severityRuleVersion: incident.severityRuleVersion,
        playbook: incident.playbook,
      },
    });
    await deps.publisher.publish([
      { source: EVENT_SOURCE.triage, detailType: DETAIL_TYPE.incidentDeclared, detail },
      { source: EVENT_SOURCE.triage, detailType: DETAIL_TYPE.incidentClassified, detail },
    ]);
    return { incidentId, outcome: 'declared' };
  }
  // A later alert can raise severity (never lower it); the decision keeps its rule version.
  // Optimistic concurrency: alertIds only grows, so its length is the version of the incident;
  // concurrent joiners re-read and retry instead of overwriting each other's additions.
  let current = incident;
  let raised = false;
  for (let attempt = 0; ; attempt++) {
    raised = severity < current.severity;
    const patch = {
      alertIds: [...new Set([...current.alertIds, alert.alertId])],
      correlationKeys: [...new Set([...current.correlationKeys, ...keys])].sort(),
      updatedAt: now,
      ...(raised ? { severity, severityRuleVersion: ruleVersion } : {}),
    };
    if (!deps.store.updateIncidentIf) {
      await deps.store.updateIncident(incidentId, patch);
      break;
    }
    if (await deps.store.updateIncidentIf(incidentId, patch, current.alertIds.length)) break;
    if (attempt >= 50) throw new RetryableError(`incident ${incidentId}: update contention`);
    current = await waitForIncident(deps.store, incidentId);
  }
  if (raised) {
    await deps.store.appendTimeline(incidentId, {
      type: 'incident.updated',
      at: now,
      actor: 'triage-alert',
      summary: `severity raised ${current.severity} → ${severity}`,
      data: {
        from: current.severity,
        to: severity,
        severityRuleVersion: ruleVersion,
        alertId: alert.alertId,
      },
    });
  }
  await deps.publisher.publish([
    {
      source: EVENT_SOURCE.triage,
      detailType: DETAIL_TYPE.incidentUpdated,
      detail: { ...detail, severity: raised ? severity : current.severity },
    },
  ]);
  return { incidentId, outcome: 'updated' };
}

/** The winner of a key claim creates the incident a moment later; joiners wait for it briefly. */
async function waitForIncident(store: TriageDeps['store'], incidentId: string): Promise<Incident> {
  for (let i = 0; i < 40; i++) {
    const incident = await store.getIncident(incidentId);
    if (incident) return incident;
    await new Promise((r) => setTimeout(r, 25 * (i + 1)));
  }
  throw new RetryableError(`incident ${incidentId} not visible yet`);
}

/**
 * Convergent correlation without transactions: keys are claimed in sorted order with
 * conditional puts; whoever loses a claim joins the holder's incident and re-points the keys it
 * had already taken, so concurrent alerts sharing a key always end in one incident.
 */
async function correlate(deps: TriageDeps, alert: Alert, keys: string[], windowStart: string) {
  const existing = await deps.store.findIncidentByKeys(keys, windowStart);
  if (existing) {
    await deps.store.claimKeys(keys, existing, alert.occurredAt);
    return { incidentId: existing, isNew: false };
  }
  const candidate = newIncidentId(alert, deps.newId);
  const taken: string[] = [];
  for (const key of keys) {
    const r = await deps.store.claimKey(key, candidate, alert.occurredAt, windowStart);
    if (!r.won) {
      await deps.store.claimKeys([...taken, ...keys], r.holder, alert.occurredAt);
      return { incidentId: r.holder, isNew: false };
    }
    taken.push(key);
  }
  return { incidentId: candidate, isNew: true };
}

function newIncidentId(alert: Alert, newId?: () => string): string {
  const day = alert.occurredAt.slice(0, 10).replaceAll('-', '');
  return `INC-${day}-${(newId ?? randomUUID)().slice(0, 8)}`;
}
