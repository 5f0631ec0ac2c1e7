import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { APPROVAL_POLICY } from '#domain/playbooks.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';

/**
 * payment-fraud on the local runtime: the real respond ASL, the real handlers, the Stripe simulator.
 * One runtime for the file (synth is the slow part); each test opens its own incident.
 */
let rt: LocalRuntime;
let store: DynamoIncidentStore;
let n = 0;

async function openIncident(severity: 'P1' | 'P2' | 'P4', customer: string) {
  const incidentId = `INC-SM-${++n}-${customer}`;
  const at = rt.clock.now().toISOString();
  await store.createIncident({
    incidentId,
    status: 'open',
    classification: 'payment-fraud',
    severity,
    severityRuleVersion: 't',
    playbook: 'payment-fraud',
    correlationKeys: [],
    alertIds: [`a-${n}`],
    openedAt: at,
    updatedAt: at,
    drill: true,
  });
  await store.saveAlert({
    alertId: `a-${n}`,
    incidentId,
    source: 'stripe',
    kind: 'payment.dispute',
    receivedAt: at,
    occurredAt: at,
    severityHint: 'high',
    correlationKeys: { customerIds: [`stripe:${customer}`], cardFingerprints: [`fp_${customer}`] },
    drill: true,
  });
  rt.stripe.seed({ intents: [{ id: `pi_${customer}`, status: 'requires_capture', customer }] });
  return incidentId;
}

function start(incidentId: string, severity: string) {
  return rt.startExecution('respond', {
    detail: {
      incidentId,
      classification: 'payment-fraud',
      severity,
      playbook: 'payment-fraud',
      drill: true,
    },
  });
}

/** Answers every token of this incident with `answer(kind, action)`. */
function operator(
  incidentId: string,
  answer: (kind: string, action: string) => 'approve' | 'reject' | 'timeout',
) {
  rt.runner.tokenListeners.push((token, info) => {
    const p = info.input.Payload ?? info.input;
    if (p.incidentId !== incidentId) return;
    const a = answer(p.op === 'escalate' ? 'escalation' : 'approval', p.action);
    const body = { approver: 'test-approver', reason: `test ${a}` };
    queueMicrotask(() => {
      if (a === 'approve') rt.runner.sendTaskSuccess(token, { approved: true, ...body });
      else if (a === 'timeout')
        rt.runner.sendTaskFailure(token, 'States.Timeout', 'approval timed out');
      else
        rt.runner.sendTaskFailure(
          token,
          'ApprovalRejectedError',
          JSON.stringify({ approved: false, ...body }),
        );
    });
  });
}

beforeAll(async () => {
  rt = await LocalRuntime.start({ stage: 'drill' });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
}, 120_000);
afterAll(async () => rt?.stop());

describe('respond / payment-fraud', () => {
  it('the ASL approval timeouts match the autonomy policy', () => {
    const text = readFileSync('state-machines/respond.asl.json', 'utf8');
    expect(text).toContain(
      `"TimeoutSeconds": ${APPROVAL_POLICY['contain-suspected'].timeoutSeconds}`,
    );
    expect(text).toContain(
      `"TimeoutSeconds": ${APPROVAL_POLICY['approval-required'].timeoutSeconds}`,
    );
  });

  it('happy path: approvals granted with approver and reason, Stripe levers executed and verified', async () => {
    const id = await openIncident('P2', 'cus_happy');
    operator(id, () => 'approve');
    const ex = start(id, 'P2');
    await ex.done;
    expect(ex.status).toBe('SUCCEEDED');
    const actions = await store.listActions(id);
    expect(actions.find((a) => a.action === 'stripe.cancel-open-payment-intents')?.status).toBe(
      'executed',
    );
    expect(rt.stripe.intents.get('pi_cus_happy')?.status).toBe('canceled');
    const tl = await store.readTimeline(id);
    const granted = tl.filter((e) => e.type === 'approval.granted');
    expect(granted.length).toBeGreaterThan(0);
    expect(granted[0]!.data).toMatchObject({ approver: 'test-approver', reason: 'test approve' });
    expect(JSON.stringify(tl)).not.toMatch(/local-[0-9a-f-]{36}/); // tokens never on the timeline
    expect((await store.getIncident(id))?.status).toBe('contained');
  });

  it('approval rejected: nothing is changed at the gateway, the rejection names the approver', async () => {
    const id = await openIncident('P2', 'cus_reject');
    operator(id, () => 'reject');
    const before = rt.stripe.mutations().length;
    const ex = start(id, 'P2');
    await ex.done;
    expect(ex.status).toBe('SUCCEEDED');
    expect(rt.stripe.intents.get('pi_cus_reject')?.status).toBe('requires_capture');
    expect(rt.stripe.mutations().length).toBe(before);
    const rejected = (await store.readTimeline(id)).filter((e) => e.type === 'approval.rejected');
    expect(rejected[0]!.data).toMatchObject({ approver: 'test-approver', outcome: 'rejected' });
    expect((await store.listActions(id)).every((a) => a.status === 'skipped')).toBe(true);
  });

  it('approval timeout: contain-suspected acts by default; approval-required does not act and escalates', async () => {
    const id = await openIncident('P2', 'cus_timeout');
    operator(id, () => 'timeout');
    const ex = start(id, 'P2');
    await ex.done;
    const actions = await store.listActions(id);
    expect(actions.find((a) => a.action === 'stripe.cancel-open-payment-intents')?.status).toBe(
      'executed',
    );
    const tl = await store.readTimeline(id);
    expect(tl.some((e) => e.type === 'approval.granted' && e.actor === 'timeout-default')).toBe(
      true,
    );
    // magento.disable-payment-method is approval-required: the timeout escalates, then the operator's
    // "timeout" answer to the escalation token leaves it unresolved (status failed).
    expect(tl.some((e) => e.type === 'escalation.raised')).toBe(true);
    expect((await store.getIncident(id))?.status).toBe('escalated');
  });

  it('gateway failing: steps fail, are retried, then escalate to a human; the human skips', async () => {
    const id = await openIncident('P1', 'cus_down');
    operator(id, (kind) => (kind === 'escalation' ? 'reject' : 'approve'));
    rt.stripe.mode = 'failing'; // 503s (keep-alive sockets survive 'down' mode across tests)
    try {
      const ex = start(id, 'P1');
      await ex.done;
      expect(ex.status).toBe('SUCCEEDED');
    } finally {
      rt.stripe.mode = 'up';
    }
    const tl = await store.readTimeline(id);
    expect(
      tl.filter((e) => e.type === 'escalation.raised').length,
      JSON.stringify(tl.map((e) => e.summary)),
    ).toBeGreaterThanOrEqual(3);
    expect((await store.getIncident(id))?.status).toBe('escalated');
  });

  it('release-action override restores the pre-state (card fingerprint unblocked)', async () => {
    const id = await openIncident('P1', 'cus_release');
    operator(id, () => 'approve');
    await start(id, 'P1').done;
    const blocked = () =>
      [...rt.stripe.valueListItems.values()].some((i) => i.value === 'fp_cus_release');
    expect(blocked()).toBe(true);
    const ov = rt.startExecution('override', {
      override: 'release-action',
      incidentId: id,
      action: 'stripe.block-card-fingerprints',
      approver: 'test-approver',
      reason: 'card owner verified',
    });
    await ov.done;
    expect(ov.status).toBe('SUCCEEDED');
    expect(blocked()).toBe(false);
    const tl = await store.readTimeline(id);
    expect(tl.some((e) => e.type === 'override.applied' && e.actor === 'test-approver')).toBe(true);
    expect(tl.some((e) => e.type === 'containment.released')).toBe(true);
  });

  it('override with a missing reason is refused by the schema', async () => {
    const ov = rt.startExecution('override', {
      override: 'close-incident',
      incidentId: 'x',
      approver: 'someone',
    });
    await ov.done;
    expect(ov.status).toBe('FAILED');
    expect(ov.cause).toMatch(/override input was refused/);
  });
});
