import type { ActionResult, PlannedAction } from '#contracts/state-io.ts';
import { playbookActionOf } from '#domain/playbooks.ts';
import type { Clock } from '#ports/clock.ts';
import type { AlertRecord, IncidentStore } from '#ports/incident-store.ts';
import { VerificationFailedError } from '#runtime/errors.ts';
import type { Lever } from './lever-kit.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from './levers.ts';

export interface ContainmentDeps {
  store: IncidentStore;
  clock: Clock;
  levers: LeverPorts;
}

/** Lever targets gathered from alerts' correlation keys (ids and URIs, never raw PII). */
export function targetOf(
  incidentId: string,
  alerts: Array<Pick<AlertRecord, 'correlationKeys'>>,
): LeverTarget {
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

export async function leverTarget(store: IncidentStore, incidentId: string): Promise<LeverTarget> {
  return targetOf(incidentId, await store.listAlerts(incidentId));
}

/**
 * The target of one action record. An itemized lever acts only on the items the record holds
 * (claimed when its pass was planned); a plan from before claims existed claims them now
 * (`claim`; a release only reads).
 */
async function recordTarget(
  deps: ContainmentDeps,
  incidentId: string,
  key: string,
  lever: Lever,
  claim: boolean,
): Promise<LeverTarget> {
  const target = await leverTarget(deps.store, incidentId);
  const field = lever.itemized;
  if (!field) return target;
  const action = playbookActionOf(key);
  const claims = await deps.store.listClaims(incidentId, action);
  const legacy = claims.length === 0 && key === action;
  if (legacy && !claim) return target;
  target[field] = legacy
    ? await deps.store.claimItems(
        incidentId,
        action,
        key,
        target[field] ?? [],
        deps.clock.now().toISOString(),
      )
    : claims
        .filter((c) => c.owner === key)
        .map((c) => c.item)
        .sort();
  return target;
}

/**
 * snapshot → act → verify → record. A retry after success returns the recorded result and never
 * acts twice; a retry after a partial run reuses the first snapshot.
 */
export async function executeAction(
  deps: ContainmentDeps,
  input: PlannedAction,
): Promise<ActionResult> {
  const lever = LEVERS[playbookActionOf(input.action)];
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
  const target = await recordTarget(deps, input.incidentId, input.action, lever, true);
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
  const lever = LEVERS[playbookActionOf(action)];
  const record = await deps.store.getAction(incidentId, action);
  if (!lever || !record || record.status !== 'executed') {
    throw new Error(`no executed action ${action} on incident ${incidentId}`);
  }
  const target = await recordTarget(deps, incidentId, action, lever, false);
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
