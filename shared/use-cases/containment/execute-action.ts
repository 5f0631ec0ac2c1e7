import type { ActionResult, PlannedAction } from '#contracts/state-io.ts';
import type { Clock } from '#ports/clock.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { VerificationFailedError } from '#runtime/errors.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from './levers.ts';

export interface ContainmentDeps {
  store: IncidentStore;
  clock: Clock;
  levers: LeverPorts;
}

export async function leverTarget(store: IncidentStore, incidentId: string): Promise<LeverTarget> {
  const alerts = await store.listAlerts(incidentId);
  const collect = (k: string) =>
    [
      ...new Set(
        alerts.flatMap((a) => {
          const v = a.correlationKeys[k];
          return v === undefined ? [] : Array.isArray(v) ? v : [v];
        }),
      ),
    ].sort();
  return {
    incidentId,
    customerIds: collect('customerIds'),
    cardFingerprints: collect('cardFingerprints'),
    paymentIntents: collect('paymentIntents'),
    adminUsers: collect('adminUser'),
    integrations: collect('integration'),
    ips: collect('ip'),
    datasets: collect('dataset'),
    mediaObjects: collect('mediaObject'),
    applicants: collect('applicant'),
  };
}

/**
 * snapshot → act → verify → record. A retry after success returns the recorded result and never
 * acts twice; a retry after a partial run reuses the first snapshot.
 */
export async function executeAction(
  deps: ContainmentDeps,
  input: PlannedAction,
): Promise<ActionResult> {
  const lever = LEVERS[input.action];
  if (!lever) throw new Error(`unknown containment action ${input.action}`);
  const { store, clock } = deps;
  const existing = await store.getAction(input.incidentId, input.action);
  if (existing?.status === 'executed') {
    const r = existing.result as { changed?: number } | undefined;
    return {
      action: input.action,
      status: 'executed',
      changed: r?.changed ?? 0,
      verified: true,
      reversible: lever.reversible,
    };
  }
  const target = await leverTarget(store, input.incidentId);
  let pre = existing?.preState;
  // The first snapshot is kept across retries and escalations (a partial act never re-snapshots).
  if (pre === undefined) {
    pre = await lever.snapshot(deps.levers, target);
    await store.putAction({
      ...(existing ?? {}),
      incidentId: input.incidentId,
      action: input.action,
      status: 'snapshotted',
      preState: pre,
      updatedAt: clock.now().toISOString(),
    });
    await store.appendTimeline(input.incidentId, {
      type: 'containment.snapshot',
      at: clock.now().toISOString(),
      actor: 'execute-containment',
      summary: `pre-state of ${input.action} recorded`,
      data: { action: input.action },
    });
  }
  const { changed, result } = await lever.act(deps.levers, target, pre);
  await store.appendTimeline(input.incidentId, {
    type: 'containment.executed',
    at: clock.now().toISOString(),
    actor: 'execute-containment',
    summary: `${input.action}: ${changed} change(s)`,
    data: { action: input.action, changed, autonomy: input.autonomy },
  });
  const verification = await lever.verify(deps.levers, target, pre, result);
  const status = verification.ok ? 'executed' : 'failed';
  await store.putAction({
    ...(existing ?? {}),
    incidentId: input.incidentId,
    action: input.action,
    status,
    pending: undefined,
    preState: pre,
    result: { changed, ...(result as object) },
    verification,
    updatedAt: clock.now().toISOString(),
  });
  await store.appendTimeline(input.incidentId, {
    type: verification.ok ? 'containment.verified' : 'containment.failed',
    at: clock.now().toISOString(),
    actor: 'execute-containment',
    summary: `${input.action}: ${verification.detail}`,
    data: { action: input.action, ok: verification.ok },
  });
  if (!verification.ok)
    throw new VerificationFailedError(`${input.action}: ${verification.detail}`);
  return {
    action: input.action,
    status: 'executed',
    changed,
    verified: true,
    reversible: lever.reversible,
  };
}

/** Restores the snapshot of an executed action (manual override or drill cleanup). */
export async function releaseAction(
  deps: ContainmentDeps,
  incidentId: string,
  action: string,
  actor: string,
) {
  const lever = LEVERS[action];
  const record = await deps.store.getAction(incidentId, action);
  if (!lever || !record || record.status !== 'executed') {
    throw new Error(`no executed action ${action} on incident ${incidentId}`);
  }
  const target = await leverTarget(deps.store, incidentId);
  const { restored } = await lever.release(deps.levers, target, record.preState, record.result);
  const at = deps.clock.now().toISOString();
  await deps.store.putAction({
    ...record,
    status: 'released',
    release: { restored, by: actor, at },
    updatedAt: at,
  });
  await deps.store.appendTimeline(incidentId, {
    type: 'containment.released',
    at,
    actor,
    summary: `${action}: ${restored} item(s) restored${lever.reversible ? '' : ' (not reversible)'}`,
    data: { action, restored, reversible: lever.reversible },
  });
  return { action, restored, reversible: lever.reversible };
}
