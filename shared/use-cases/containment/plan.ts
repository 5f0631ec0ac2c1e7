import type { PlannedAction } from '#contracts/state-io.ts';
import { autonomyFor, PLAYBOOKS } from '#domain/playbooks.ts';
import type { Clock } from '#ports/clock.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { IncidentNotFoundError } from '#runtime/errors.ts';

export async function planContainment(
  deps: { store: IncidentStore; clock: Clock },
  input: { incidentId: string },
): Promise<{ actions: PlannedAction[] }> {
  const incident = await deps.store.getIncident(input.incidentId);
  if (!incident) throw new IncidentNotFoundError(`incident ${input.incidentId} not found`);
  const playbook = PLAYBOOKS[incident.classification];
  const actions = playbook.actions.map((a) => ({
    incidentId: incident.incidentId,
    action: a.action,
    autonomy: autonomyFor(a, incident.severity),
  }));
  await deps.store.updateIncident(incident.incidentId, {
    status: 'containing',
    updatedAt: deps.clock.now().toISOString(),
  });
  await deps.store.appendTimeline(incident.incidentId, {
    type: 'containment.planned',
    at: deps.clock.now().toISOString(),
    actor: 'plan-containment',
    summary: `playbook ${playbook.id}@${playbook.version}: ${actions.length} action(s)`,
    data: {
      playbook: playbook.id,
      version: playbook.version,
      actions: actions.map((a) => a.action),
    },
  });
  return { actions };
}

export async function closeContainment(
  deps: { store: IncidentStore; clock: Clock },
  input: { incidentId: string; results: unknown[] },
) {
  const actions = await deps.store.listActions(input.incidentId);
  const failedResults = input.results.filter(
    (r) => (r as { status?: string } | null)?.status === 'failed',
  ).length;
  const failed = Math.max(failedResults, actions.filter((a) => a.status === 'failed').length);
  const executed = actions.filter((a) => a.status === 'executed').length;
  const status = failed > 0 ? 'escalated' : 'contained';
  const at = deps.clock.now().toISOString();
  await deps.store.updateIncident(input.incidentId, { status, updatedAt: at });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'containment.completed',
    at,
    actor: 'close-containment',
    summary: `${executed} of ${input.results.length} action(s) contained${failed ? `, ${failed} escalated` : ''}`,
    data: { executed, failed, planned: input.results.length },
  });
  return { incidentId: input.incidentId, status };
}

export async function escalate(
  deps: { store: IncidentStore; clock: Clock },
  input: { incidentId: string; step: string; error: { Error: string; Cause?: string } },
) {
  const at = deps.clock.now().toISOString();
  await deps.store.updateIncident(input.incidentId, { status: 'escalated', updatedAt: at });
  // Cause can carry vendor text; keep its first line, capped.
  const cause = (input.error.Cause ?? '').split('\n')[0]?.slice(0, 300);
  await deps.store.appendTimeline(input.incidentId, {
    type: 'escalation.raised',
    at,
    actor: input.step,
    summary: `${input.step} failed: ${input.error.Error}`,
    data: { error: input.error.Error, cause },
  });
  return { incidentId: input.incidentId, escalated: true };
}
