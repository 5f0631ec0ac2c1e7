import type { PlannedAction } from '#contracts/state-io.ts';
import { APPROVAL_POLICY, autonomyFor, branchesOf, PLAYBOOKS } from '#domain/playbooks.ts';
import type { Clock } from '#ports/clock.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { IncidentNotFoundError } from '#runtime/errors.ts';
import { LEVERS } from './levers.ts';

export async function planContainment(
  deps: { store: IncidentStore; clock: Clock },
  input: { incidentId: string },
): Promise<{
  actions: PlannedAction[];
  branches: Array<{ branch: string; actions: PlannedAction[] }>;
}> {
  const incident = await deps.store.getIncident(input.incidentId);
  if (!incident) throw new IncidentNotFoundError(`incident ${input.incidentId} not found`);
  const playbook = PLAYBOOKS[incident.classification];
  // Levers not registered yet (e.g. media levers before issue 6) are recorded, never run silently.
  const unavailable = playbook.actions.filter((a) => !LEVERS[a.action]).map((a) => a.action);
  const planned = playbook.actions
    .filter((a) => LEVERS[a.action])
    .map((a) => {
      const autonomy = autonomyFor(a, incident.severity);
      return {
        incidentId: incident.incidentId,
        action: a.action,
        autonomy,
        branch: a.lever,
        lever: a.lever,
        approval: APPROVAL_POLICY[autonomy],
      };
    });
  const actions = planned.map(({ lever: _l, ...rest }) => rest);
  const branches = branchesOf(planned).map((b) => ({
    branch: b.branch,
    actions: b.actions.map(({ lever: _l, ...rest }) => rest),
  }));
  await deps.store.updateIncident(incident.incidentId, {
    status: 'containing',
    updatedAt: deps.clock.now().toISOString(),
  });
  await deps.store.appendTimeline(incident.incidentId, {
    type: 'containment.planned',
    at: deps.clock.now().toISOString(),
    actor: 'plan-containment',
    summary: `playbook ${playbook.id}@${playbook.version}: ${actions.length} action(s) in ${branches.length} branch(es)${unavailable.length ? `, ${unavailable.length} lever(s) unavailable` : ''}`,
    data: {
      playbook: playbook.id,
      version: playbook.version,
      actions: actions.map((a) => a.action),
      autonomy: Object.fromEntries(actions.map((a) => [a.action, a.autonomy])),
      branches: branches.map((b) => b.branch),
      unavailable,
    },
  });
  if (unavailable.length > 0) {
    await deps.store.appendTimeline(incident.incidentId, {
      type: 'escalation.raised',
      at: deps.clock.now().toISOString(),
      actor: 'plan-containment',
      summary: `${unavailable.length} playbook action(s) have no lever yet: contain them by hand`,
      data: { unavailable },
    });
  }
  return { actions, branches };
}

export async function closeContainment(
  deps: { store: IncidentStore; clock: Clock },
  input: { incidentId: string; results: unknown[] },
) {
  const actions = await deps.store.listActions(input.incidentId);
  // Results arrive per branch (arrays of action results) or flat.
  const flat = input.results.flat(2) as unknown[];
  const failedResults = flat.filter(
    (r) => (r as { status?: string } | null)?.status === 'failed',
  ).length;
  const failed = Math.max(
    failedResults,
    actions.filter((a) => a.status === 'failed' || a.status === 'escalated').length,
  );
  const executed = actions.filter((a) => a.status === 'executed').length;
  const status = failed > 0 ? 'escalated' : 'contained';
  const at = deps.clock.now().toISOString();
  await deps.store.updateIncident(input.incidentId, { status, updatedAt: at });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'containment.completed',
    at,
    actor: 'close-containment',
    summary: `${executed} of ${flat.length} action(s) contained${failed ? `, ${failed} escalated` : ''}`,
    data: { executed, failed, planned: flat.length },
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
