import type { Incident } from '#domain/incident.ts';
import { type ChainVerification, type TimelineEntry, verifyChain } from '#domain/timeline.ts';
import type { ActionRecord, AlertRecord, IncidentStore } from '#ports/incident-store.ts';
import { IncidentNotFoundError } from '#runtime/errors.ts';

export interface IncidentReport {
  incident: Incident;
  alerts: AlertRecord[];
  actions: ActionRecord[];
  timeline: TimelineEntry[];
  verification: ChainVerification;
}

/** Everything a reader needs about one incident, with the timeline's chain re-verified. */
export async function buildIncidentReport(
  store: IncidentStore,
  incidentId: string,
): Promise<IncidentReport> {
  const incident = await store.getIncident(incidentId);
  if (!incident) throw new IncidentNotFoundError(`incident ${incidentId} not found`);
  const [alerts, actions, timeline] = await Promise.all([
    store.listAlerts(incidentId),
    store.listActions(incidentId),
    store.readTimeline(incidentId),
  ]);
  return { incident, alerts, actions, timeline, verification: verifyChain(timeline) };
}
