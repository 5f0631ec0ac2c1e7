import { createHash } from 'node:crypto';
import type { GateInput } from '#contracts/state-io.ts';
import type { Clock } from '#ports/clock.ts';
import type { IncidentStore } from '#ports/incident-store.ts';

export interface GateDeps {
  store: IncidentStore;
  clock: Clock;
}

/** What an approver sends with SendTaskSuccess / SendTaskFailure (as JSON in `cause`). */
export interface Decision {
  approved?: boolean;
  approver?: string;
  reason?: string;
}

/** A short reference to a task token for the timeline (the token itself is a capability). */
export const tokenRef = (token: string) =>
  createHash('sha256').update(token).digest('hex').slice(0, 12);

function parseDecision(raw: unknown): Decision {
  if (raw && typeof raw === 'object' && 'Cause' in (raw as object)) {
    try {
      return JSON.parse(String((raw as { Cause?: string }).Cause ?? '{}')) as Decision;
    } catch {
      return { reason: 'rejected (no structured cause)' };
    }
  }
  return (raw ?? {}) as Decision;
}

const clip = (s: unknown, n = 200) =>
  String(s ?? '')
    .split('\n')[0]!
    .slice(0, n);

/** Approval gates and escalations of one containment action (the human in the loop). */
export async function gate(deps: GateDeps, input: GateInput): Promise<Record<string, unknown>> {
  const at = deps.clock.now().toISOString();
  const existing = await deps.store.getAction(input.incidentId, input.action);
  switch (input.op) {
    case 'request-approval': {
      await deps.store.putAction({
        ...(existing ?? { incidentId: input.incidentId, action: input.action }),
        status: 'awaiting-approval',
        pending: { kind: 'approval', taskToken: input.taskToken, since: at },
        updatedAt: at,
      });
      await deps.store.appendTimeline(input.incidentId, {
        type: 'approval.requested',
        at,
        actor: 'respond',
        summary: `${input.action} waits for approval (${input.autonomy}, ${input.timeoutSeconds}s)`,
        data: {
          action: input.action,
          autonomy: input.autonomy,
          timeoutSeconds: input.timeoutSeconds,
          tokenRef: tokenRef(input.taskToken),
        },
      });
      return { requested: true };
    }
    case 'escalate': {
      await deps.store.putAction({
        ...(existing ?? { incidentId: input.incidentId, action: input.action }),
        status: 'escalated',
        pending: { kind: 'escalation', taskToken: input.taskToken, since: at },
        updatedAt: at,
      });
      await deps.store.updateIncident(input.incidentId, { status: 'escalated', updatedAt: at });
      await deps.store.appendTimeline(input.incidentId, {
        type: 'escalation.raised',
        at,
        actor: `execute-containment:${input.action}`,
        summary: `${input.action} failed (${input.error.Error}): waiting for a human to retry or skip`,
        data: {
          action: input.action,
          error: input.error.Error,
          cause: clip(input.error.Cause, 300),
          tokenRef: tokenRef(input.taskToken),
        },
      });
      return { escalated: true };
    }
    case 'record-decision': {
      const d = parseDecision(input.decision);
      const approver = clip(
        d.approver ?? (input.outcome === 'timeout' ? 'timeout-default' : 'unknown'),
        80,
      );
      const reason = clip(
        d.reason ?? (input.outcome === 'timeout' ? 'no answer before the timeout' : ''),
      );
      const proceed =
        input.outcome === 'granted' ||
        (input.outcome === 'timeout' && input.onTimeout === 'proceed');
      const afterEscalation = existing?.status === 'escalated';
      const approval = [
        ...((existing?.approval as unknown[] | undefined) ?? []),
        { outcome: input.outcome, approver, reason, at },
      ];
      await deps.store.putAction({
        ...(existing ?? { incidentId: input.incidentId, action: input.action }),
        status: proceed
          ? existing?.status === 'escalated'
            ? 'escalated'
            : 'awaiting-approval'
          : afterEscalation
            ? 'escalated'
            : 'skipped',
        approval,
        pending: undefined,
        updatedAt: at,
      });
      await deps.store.appendTimeline(input.incidentId, {
        type: proceed ? 'approval.granted' : 'approval.rejected',
        at,
        actor: approver,
        summary: `${input.action}: ${input.outcome}${afterEscalation ? ' after escalation' : ''} by ${approver}${reason ? ` (${reason})` : ''}`,
        data: { action: input.action, outcome: input.outcome, approver, reason, afterEscalation },
      });
      return {
        proceed,
        action: input.action,
        // Action result shape for the branches that end here.
        status: afterEscalation ? 'failed' : 'skipped',
        changed: 0,
        verified: false,
        reversible: false,
        escalated: afterEscalation || (input.outcome === 'timeout' && !proceed),
      };
    }
  }
}
