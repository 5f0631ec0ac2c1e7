import type { LocalRuntime } from './runtime.ts';

export interface OperatorDecision {
  kind: 'approval' | 'escalation';
  action: string;
  decision: 'approve' | 'reject';
}

/**
 * The drill's human in the loop: answers every approval gate and escalation of the `respond`
 * machine through the same SendTaskSuccess / SendTaskFailure path as `tourniquet approve|reject`.
 * Approvals are granted; escalations are skipped (the action stays escalated in the report).
 */
export function attachDrillOperator(
  rt: LocalRuntime,
  policy: { approvals?: 'approve' | 'reject'; escalations?: 'approve' | 'reject' } = {},
): OperatorDecision[] {
  const log: OperatorDecision[] = [];
  rt.runner.tokenListeners.push((token, info) => {
    // regulator notices are approved by the drill compliance officer (infra/local/regulatory-drill.ts)
    if (info.executionArn.includes(':regulatory-clock:')) return;
    const payload = (info.input?.Payload ?? info.input) as {
      op?: string;
      action?: string;
      purpose?: string;
    };
    // recovery-gate requests (remediation / promotion) are answered by infra/local/drill-recovery.ts
    if (payload.purpose) return;
    const kind = payload.op === 'escalate' ? 'escalation' : 'approval';
    const decision =
      kind === 'approval' ? (policy.approvals ?? 'approve') : (policy.escalations ?? 'reject');
    log.push({ kind, action: String(payload.action ?? '?'), decision });
    const answer = {
      approver: 'drill-operator',
      reason: `drill: ${kind} ${decision === 'approve' ? 'granted' : 'declined'}`,
    };
    queueMicrotask(() => {
      if (decision === 'approve') rt.runner.sendTaskSuccess(token, { approved: true, ...answer });
      else
        rt.runner.sendTaskFailure(
          token,
          'ApprovalRejectedError',
          JSON.stringify({ approved: false, ...answer }),
        );
    });
  });
  return log;
}
