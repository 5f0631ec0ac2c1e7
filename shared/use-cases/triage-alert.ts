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
  const keys = flattenKeys(alert.correlationKeys);
  const windowStart = new Date(Date.parse(alert.occurredAt) - deps.correlationWindowMinutes * 60_000).toISOString();
  const existing = await deps.store.findIncidentByKeys(keys, windowStart);
  const candidateId = existing ?? newIncidentId(alert, deps.newId);
  const claim = await deps.store.claimAlert(alert.alertId, candidateId, now);
  if (!claim.firstTime) {
    return { incidentId: claim.incidentId, outcome: 'duplicate' };
  }
  const classification = classifyAlertKind(alert.kind);
  const { severity, ruleVersion } = decideSeverity(alert.severityHint, classification);
  const playbook = selectPlaybook(classification);
  let incidentId = candidateId;
  let declared = false;
  if (!existing) {
    const incident: Incident = {
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
    };
    declared = await deps.store.createIncident(incident);
    if (!declared) incidentId = candidateId;
  }
  await deps.store.claimKeys(keys, incidentId, alert.occurredAt);
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
  const detail: IncidentEvent = {
    incidentId,
    classification,
    severity,
    playbook: playbook.id,
    alertId: alert.alertId,
    drill: alert.drill,
  };
  if (declared) {
    await deps.store.appendTimeline(incidentId, {
      type: 'incident.declared',
      at: now,
      actor: 'triage-alert',
      summary: `${classification} ${severity}, playbook ${playbook.id}@${playbook.version}`,
      data: { classification, severity, severityRuleVersion: ruleVersion, playbook: playbook.id },
    });
    await deps.publisher.publish([
      { source: EVENT_SOURCE.triage, detailType: DETAIL_TYPE.incidentDeclared, detail },
      { source: EVENT_SOURCE.triage, detailType: DETAIL_TYPE.incidentClassified, detail },
    ]);
    return { incidentId, outcome: 'declared' };
  }
  const incident = await deps.store.getIncident(incidentId);
  if (incident && !incident.alertIds.includes(alert.alertId)) {
    await deps.store.updateIncident(incidentId, {
      alertIds: [...incident.alertIds, alert.alertId],
      correlationKeys: [...new Set([...incident.correlationKeys, ...keys])].sort(),
      updatedAt: now,
    });
  }
  await deps.publisher.publish([{ source: EVENT_SOURCE.triage, detailType: DETAIL_TYPE.incidentUpdated, detail }]);
  return { incidentId, outcome: 'updated' };
}

function newIncidentId(alert: Alert, newId?: () => string): string {
  const day = alert.occurredAt.slice(0, 10).replaceAll('-', '');
  return `INC-${day}-${(newId ?? randomUUID)().slice(0, 8)}`;
}
