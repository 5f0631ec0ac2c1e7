import { createHash } from 'node:crypto';
import type { ContainmentPass, PlannedAction } from '#contracts/state-io.ts';
import type { Incident } from '#domain/incident.ts';
import {
  APPROVAL_POLICY,
  autonomyFor,
  branchesOf,
  PLAYBOOKS,
  type PlaybookAction,
} from '#domain/playbooks.ts';
import type { Clock } from '#ports/clock.ts';
import type { ActionRecord, IncidentStore } from '#ports/incident-store.ts';
import { IncidentNotFoundError } from '#runtime/errors.ts';
import { targetOf } from './execute-action.ts';
import { LEVERS } from './levers.ts';

type Deps = { store: IncidentStore; clock: Clock };
export interface ContainmentPlan {
  actions: PlannedAction[];
  branches: Array<{ branch: string; actions: PlannedAction[] }>;
  /** Number of planned actions (the respond machine ends an empty incremental pass on it). */
  planned: number;
}

/** Action record key of an incremental pass: one per playbook action and joining alert. */
export const passActionKey = (action: string, alertId: string) =>
  `${action}#${createHash('sha256').update(alertId).digest('hex').slice(0, 12)}`;

/**
 * Plans one containment pass.
 *
 * `full` (IncidentDeclared): every playbook action with a lever. An itemized lever (the deepfake
 * levers: one flagged object or applicant at a time) first claims the targets the incident has
 * now and is planned only if it holds any; it acts on exactly those.
 *
 * `incremental` (IncidentUpdated of a playbook with itemized levers): only the itemized levers,
 * only for the targets the joining alert brought and no action record holds yet. Each gets its
 * own action record `<action>#<pass>` (keyed by the alert, so a redelivered event or a retried
 * plan finds the same pass) and goes through the same approval gate, autonomy mode,
 * snapshot/verify/timeline and release as the playbook action. Targets are claimed with
 * conditional puts, so an object is contained once even when passes overlap (a duplicate
 * verdict, or an alert that joined while the full pass was still planning).
 */
export async function planContainment(
  deps: Deps,
  input: { incidentId: string; pass?: ContainmentPass },
): Promise<ContainmentPlan> {
  const incident = await deps.store.getIncident(input.incidentId);
  if (!incident) throw new IncidentNotFoundError(`incident ${input.incidentId} not found`);
  const pass = input.pass ?? { mode: 'full' };
  return pass.mode === 'incremental'
    ? planIncremental(deps, incident, pass.alertId)
    : planFull(deps, incident);
}

function toPlanned(incident: Incident, a: PlaybookAction, key: string) {
  const autonomy = autonomyFor(a, incident.severity);
  return {
    incidentId: incident.incidentId,
    action: key,
    autonomy,
    branch: a.lever,
    lever: a.lever,
    approval: APPROVAL_POLICY[autonomy],
  };
}

function toPlan(planned: Array<ReturnType<typeof toPlanned>>): ContainmentPlan {
  return {
    planned: planned.length,
    actions: planned.map(({ lever: _l, ...rest }) => rest),
    branches: branchesOf(planned).map((b) => ({
      branch: b.branch,
      actions: b.actions.map(({ lever: _l, ...rest }) => rest),
    })),
  };
}

async function planFull(deps: Deps, incident: Incident): Promise<ContainmentPlan> {
  const playbook = PLAYBOOKS[incident.classification];
  const at = deps.clock.now().toISOString();
  // Levers not registered yet are recorded, never run silently.
  const unavailable = playbook.actions.filter((a) => !LEVERS[a.action]).map((a) => a.action);
  await deps.store.updateIncident(incident.incidentId, { status: 'containing', updatedAt: at });
  const target = targetOf(incident.incidentId, await deps.store.listAlerts(incident.incidentId));
  const planned: Array<ReturnType<typeof toPlanned>> = [];
  const noTargets: string[] = [];
  const items: Record<string, number> = {};
  for (const a of playbook.actions) {
    const lever = LEVERS[a.action];
    if (!lever) continue;
    if (lever.itemized) {
      const held = await deps.store.claimItems(
        incident.incidentId,
        a.action,
        a.action,
        target[lever.itemized] ?? [],
        at,
      );
      if (held.length === 0) {
        noTargets.push(a.action);
        continue;
      }
      items[a.action] = held.length;
    }
    planned.push(toPlanned(incident, a, a.action));
  }
  const plan = toPlan(planned);
  await deps.store.appendTimeline(incident.incidentId, {
    type: 'containment.planned',
    at,
    actor: 'plan-containment',
    summary: `playbook ${playbook.id}@${playbook.version}: ${plan.actions.length} action(s) in ${plan.branches.length} branch(es)${unavailable.length ? `, ${unavailable.length} lever(s) unavailable` : ''}${noTargets.length ? `, ${noTargets.length} without targets` : ''}`,
    data: {
      playbook: playbook.id,
      version: playbook.version,
      pass: 'full',
      actions: plan.actions.map((a) => a.action),
      autonomy: Object.fromEntries(plan.actions.map((a) => [a.action, a.autonomy])),
      branches: plan.branches.map((b) => b.branch),
      unavailable,
      ...(Object.keys(items).length ? { items } : {}),
      ...(noTargets.length ? { noTargets } : {}),
    },
  });
  if (unavailable.length > 0) {
    await deps.store.appendTimeline(incident.incidentId, {
      type: 'escalation.raised',
      at,
      actor: 'plan-containment',
      summary: `${unavailable.length} playbook action(s) have no lever yet: contain them by hand`,
      data: { unavailable },
    });
  }
  return plan;
}

async function planIncremental(
  deps: Deps,
  incident: Incident,
  alertId: string,
): Promise<ContainmentPlan> {
  const nothing: ContainmentPlan = { actions: [], branches: [], planned: 0 };
  // A closed incident is not contained any further by automation.
  if (incident.status === 'closed') return nothing;
  const playbook = PLAYBOOKS[incident.classification];
  const alert = (await deps.store.listAlerts(incident.incidentId)).find(
    (a) => a.alertId === alertId,
  );
  if (!alert) return nothing;
  const target = targetOf(incident.incidentId, [alert]);
  const at = deps.clock.now().toISOString();
  const planned: Array<ReturnType<typeof toPlanned>> = [];
  const items: Record<string, number> = {};
  for (const a of playbook.actions) {
    const field = LEVERS[a.action]?.itemized;
    const wanted = field ? (target[field] ?? []) : [];
    if (wanted.length === 0) continue;
    const key = passActionKey(a.action, alertId);
    // planned before (a redelivered IncidentUpdated): that execution owns the pass
    if (await deps.store.getAction(incident.incidentId, key)) continue;
    const owners = new Map(
      (await deps.store.listClaims(incident.incidentId, a.action)).map((c) => [c.item, c.owner]),
    );
    const free = wanted.filter((i) => (owners.get(i) ?? key) === key);
    if (free.length === 0) continue;
    const held = await deps.store.claimItems(incident.incidentId, a.action, key, free, at);
    if (held.length === 0) continue;
    items[key] = held.length;
    planned.push(toPlanned(incident, a, key));
  }
  if (planned.length === 0) return nothing;
  const plan = toPlan(planned);
  await deps.store.updateIncident(incident.incidentId, { status: 'containing', updatedAt: at });
  await deps.store.appendTimeline(incident.incidentId, {
    type: 'containment.planned',
    at,
    actor: 'plan-containment',
    summary: `playbook ${playbook.id}@${playbook.version}, incremental pass: ${plan.actions.length} action(s) for new target(s) of a joining alert`,
    data: {
      playbook: playbook.id,
      version: playbook.version,
      pass: 'incremental',
      alertId,
      actions: plan.actions.map((a) => a.action),
      autonomy: Object.fromEntries(plan.actions.map((a) => [a.action, a.autonomy])),
      branches: plan.branches.map((b) => b.branch),
      items,
    },
  });
  return plan;
}

/** Action records still on their way (another pass of the same incident is running). */
const inFlight = (a: ActionRecord) =>
  (a.status === 'awaiting-approval' || a.status === 'snapshotted') &&
  a.pending?.kind !== 'escalation';

export async function closeContainment(
  deps: Deps,
  input: { incidentId: string; results: unknown[]; pass?: ContainmentPass },
) {
  const actions = await deps.store.listActions(input.incidentId);
  // Results arrive per branch (arrays of action results) or flat.
  const flat = input.results.flat(2) as Array<{ status?: string } | null>;
  const failedResults = flat.filter((r) => r?.status === 'failed').length;
  const failed = Math.max(
    failedResults,
    actions.filter((a) => a.status === 'failed' || a.status === 'escalated').length,
  );
  const executed = flat.filter((r) => r?.status === 'executed').length;
  // The incident is contained when no record failed and no other pass is still running.
  const status = failed > 0 ? 'escalated' : actions.some(inFlight) ? 'containing' : 'contained';
  const at = deps.clock.now().toISOString();
  const incremental = input.pass?.mode === 'incremental';
  await deps.store.updateIncident(input.incidentId, { status, updatedAt: at });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'containment.completed',
    at,
    actor: 'close-containment',
    summary: `${incremental ? 'incremental pass: ' : ''}${executed} of ${flat.length} action(s) contained${failedResults ? `, ${failedResults} escalated` : ''}${status === 'escalated' && !failedResults ? ' (the incident has escalated actions)' : ''}`,
    data: {
      executed,
      failed,
      planned: flat.length,
      pass: input.pass?.mode ?? 'full',
      ...(input.pass?.mode === 'incremental' ? { alertId: input.pass.alertId } : {}),
    },
  });
  return { incidentId: input.incidentId, status };
}

export async function escalate(
  deps: Deps,
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
