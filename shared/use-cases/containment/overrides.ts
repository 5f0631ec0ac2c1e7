import type { OverrideInput } from '#contracts/overrides.ts';
import type { TaskTokens } from '#ports/task-tokens.ts';
import { NonRetryableError } from '#runtime/errors.ts';
import { type ContainmentDeps, releaseAction } from './execute-action.ts';

export interface OverrideDeps extends ContainmentDeps {
  tokens: TaskTokens;
}

/** Applies one console override; every override is a timeline entry naming approver and reason. */
export async function applyOverride(deps: OverrideDeps, input: OverrideInput) {
  const { store, clock } = deps;
  const incident = await store.getIncident(input.incidentId);
  if (!incident) throw new NonRetryableError(`incident ${input.incidentId} not found`);
  const decision = { approver: input.approver, reason: input.reason };
  let outcome: Record<string, unknown> = {};
  if (input.override === 'close-incident') {
    await store.updateIncident(input.incidentId, {
      status: 'closed',
      updatedAt: clock.now().toISOString(),
    });
    await store.appendTimeline(input.incidentId, {
      type: 'incident.closed',
      at: clock.now().toISOString(),
      actor: input.approver,
      summary: `incident closed by ${input.approver}: ${input.reason}`,
      data: { ...decision },
    });
    outcome = { closed: true };
  } else if (input.override === 'release-action') {
    outcome = await releaseAction(
      deps,
      input.incidentId,
      input.action,
      `override:${input.approver}`,
    );
  } else {
    const record = await store.getAction(input.incidentId, input.action);
    const pending = record?.pending;
    if (!pending)
      throw new NonRetryableError(
        `${input.action} on ${input.incidentId} is not waiting for a decision`,
      );
    if (input.override === 'skip-step') {
      await deps.tokens.fail(
        pending.taskToken,
        'ApprovalRejectedError',
        JSON.stringify({ approved: false, ...decision }),
      );
    } else {
      if (input.override === 'retry-step' && pending.kind !== 'escalation')
        throw new NonRetryableError(
          `${input.action} is waiting for approval, not a retry: use force-approve`,
        );
      await deps.tokens.succeed(pending.taskToken, { approved: true, ...decision });
    }
    outcome = { resolved: pending.kind };
  }
  await store.appendTimeline(input.incidentId, {
    type: 'override.applied',
    at: clock.now().toISOString(),
    actor: input.approver,
    summary:
      `${input.override}${'action' in input ? ` ${input.action}` : ''} by ${input.approver}: ${input.reason}`.slice(
        0,
        300,
      ),
    data: {
      override: input.override,
      ...('action' in input ? { action: input.action } : {}),
      ...decision,
    },
  });
  return { override: input.override, incidentId: input.incidentId, ...outcome };
}
