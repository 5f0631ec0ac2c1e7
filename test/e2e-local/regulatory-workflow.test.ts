import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '#domain/timeline.ts';
import { LocalRuntime } from '#local/runtime.ts';
import {
  approve,
  CONTEXT,
  clearSes,
  drain,
  incidentDetail,
  publish,
  regulatoryStore,
  regulatoryTokens,
  reject,
  SCOPE,
  sesStore,
  waitFor,
} from './regulatory-fixtures.ts';

const START = new Date('2026-11-30T10:00:00Z');
let rt: LocalRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

async function declare(id: string) {
  rt = await LocalRuntime.start({ stage: 'drill', startAt: START, context: CONTEXT });
  rt.setStorefrontDown();
  await clearSes(rt);
  await publish(rt, 'IncidentDeclared', incidentDetail(id));
  await publish(rt, 'IncidentClassified', incidentDetail(id));
  await publish(rt, 'ScopeAssessed', { incidentId: id, ...SCOPE });
  return rt;
}

describe('regulator workflow on the local runtime, storefront down', () => {
  it('drafts, waits for approval, sends by SES, files evidence and follows up (DORA intermediate/final from the actual submission)', async () => {
    const rt = await declare('inc-reg-1');
    const store = regulatoryStore(rt);
    const sent = new Set<string>();
    // Approve every approval request as it comes (initial reports first, then follow-ups).
    await waitFor(async () => {
      for (const t of regulatoryTokens(rt)) await approve(rt, t.token);
      const obls = await store.listObligations('inc-reg-1');
      for (const o of obls) if (o.status === 'sent') sent.add(o.key);
      return [
        'DORA-19#initial',
        'DORA-19#intermediate',
        'DORA-19#final',
        'GDPR-33#notification',
        'US-STATE-TX#notification#state-attorney-general',
      ].every((k) => [...sent].some((s) => s.startsWith(k)));
    }, 'all authority notices sent');
    await rt.idle();
    const obls = await store.listObligations('inc-reg-1');
    // Only authorities: residents/data subjects belong to the customer-notification workflow.
    expect(
      obls.every((o) => !['affected-residents', 'data-subjects', 'clients'].includes(o.recipient)),
    ).toBe(true);
    const keys = obls.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const o of obls.filter((x) => x.status === 'sent')) {
      expect(o.approval?.approver).toBe('Compliance Officer');
      expect(Date.parse(o.sentAt!)).toBeLessThanOrEqual(Date.parse(o.due!));
      // Evidence: the rendered document in the regulatory evidence bucket, sha256 recorded.
      const obj = await rt
        .s3()
        .send(new GetObjectCommand({ Bucket: o.evidence!.bucket, Key: o.evidence!.key }));
      const body = await obj.Body!.transformToString();
      expect(createHash('sha256').update(body).digest('hex')).toBe(o.evidence!.sha256);
      expect(body).toBe(o.draft!.text);
    }
    const initial = obls.find((o) => o.key.startsWith('DORA-19#initial'))!;
    const intermediate = obls.find((o) => o.key.startsWith('DORA-19#intermediate'))!;
    expect(Date.parse(intermediate.due!) - Date.parse(initial.sentAt!)).toBe(72 * 3600_000);
    expect(Date.parse(intermediate.clockStart)).toBe(Date.parse(initial.sentAt!));
    // GDPR 33(3)(a)-(d) content, counts only (no identities).
    const gdpr = obls.find((o) => o.key.startsWith('GDPR-33'))!;
    expect(gdpr.draft!.text).toContain(
      'Approximate number of data subjects [33(3)(a)-number-subjects]: 1500',
    );
    expect(gdpr.draft!.text).toContain('DPO / contact point [33(3)(b)]');
    expect(gdpr.draft!.text).toContain('[33(3)(c)]');
    expect(gdpr.draft!.text).toContain('[33(3)(d)]');
    expect(gdpr.draft!.missing).toContain('33(3)(c)');
    // SES: each notice went to its configured authority address.
    const mails = await sesStore(rt);
    const to = (addr: string) => mails.filter((m) => m.destination.to.includes(addr));
    expect(to('incidents@bafin.example')).toHaveLength(3);
    expect(to('breach@datenschutz-berlin.example')).toHaveLength(1);
    expect(to('databreach@oag.texas.example')).toHaveLength(1);
    expect(to('compliance@acme-pay.example').length).toBeGreaterThanOrEqual(5); // approval requests
    // Its own timeline: drafted, approval requested/granted, sent — hash chain verifies.
    const tl = await store.readTimeline('inc-reg-1');
    expect(verifyChain(tl).verified).toBe(true);
    const count = (t: string) => tl.filter((e) => e.type === t).length;
    expect(count('notification.drafted')).toBe(5);
    expect(count('approval.requested')).toBe(5);
    expect(count('approval.granted')).toBe(5);
    expect(count('notification.sent')).toBe(5);
    expect(count('obligation.scheduled')).toBeGreaterThanOrEqual(5);
    // The storefront was down throughout, and nothing of it was called.
    expect(rt.stripe.calls).toHaveLength(0);
    // Sent obligations leave no reminder behind.
    const names = [...rt.scheduler.schedules.values()].map((s) => JSON.parse(s.input).key);
    for (const o of obls.filter((x) => x.status === 'sent')) expect(names).not.toContain(o.key);
  }, 60_000);

  it('records a rejection and does not send', async () => {
    const rt = await declare('inc-reg-2');
    const store = regulatoryStore(rt);
    const t = await waitFor(async () => {
      const toks = regulatoryTokens(rt);
      const obls = await store.listObligations('inc-reg-2');
      const gdpr = obls.find(
        (o) => o.key.startsWith('GDPR-33') && o.status === 'awaiting-approval',
      );
      return gdpr ? toks.find((x) => x.token === gdpr.taskToken) : undefined;
    }, 'GDPR approval request');
    await reject(rt, t.token, 'Dr. Compliance', 'counts need re-checking');
    const rec = await waitFor(async () => {
      const o = (await store.listObligations('inc-reg-2')).find((x) => x.key.startsWith('GDPR-33'));
      return o?.status === 'rejected' ? o : undefined;
    }, 'rejection recorded');
    expect(rec.rejection).toMatchObject({
      approver: 'Dr. Compliance',
      reason: 'counts need re-checking',
    });
    expect(rec.sentAt).toBeUndefined();
    const tl = await waitFor(async () => {
      const t = await store.readTimeline('inc-reg-2');
      return t.some((e) => e.type === 'approval.rejected') ? t : undefined;
    }, 'rejection on the timeline');
    expect(tl.some((e) => e.type === 'approval.rejected' && e.actor === 'Dr. Compliance')).toBe(
      true,
    );
    expect(
      tl.some((e) => e.type === 'notification.sent' && String(e.data?.key).startsWith('GDPR-33')),
    ).toBe(false);
    const mails = await sesStore(rt);
    expect(mails.some((m) => m.destination.to.includes('breach@datenschutz-berlin.example'))).toBe(
      false,
    );
    await drain(rt);
  }, 60_000);

  it('escalates at T-4h and T-1h without approval, and records the miss at the due time', async () => {
    const rt = await declare('inc-reg-3');
    const store = regulatoryStore(rt);
    const dora = await waitFor(async () => {
      const o = (await store.listObligations('inc-reg-3')).find((x) =>
        x.key.startsWith('DORA-19#initial'),
      );
      return o?.status === 'awaiting-approval' ? o : undefined;
    }, 'DORA initial awaiting approval');
    const c3 = (await store.getCase('inc-reg-3'))!;
    // 4 h after classification (earlier than 24 h after awareness)
    expect(Date.parse(dora.due!)).toBe(
      Date.parse(c3.patch.timeline!.classifiedMajorAt!) + 4 * 3600_000,
    );
    // Reminders exist as one-time at() schedules; T-24h is already past so not scheduled.
    const stages = [...rt.scheduler.schedules.values()]
      .filter((s) => JSON.parse(s.input).key === dora.key)
      .map((s) => JSON.parse(s.input).stage);
    expect(stages.sort()).toEqual(['T-1h', 'due']);
    // Just past T-1h, from the due time itself (real time passes while the test runs).
    await rt.advance(Date.parse(dora.due!) - 3600_000 + 1000 - rt.clock.now().getTime());
    let tl = await store.readTimeline('inc-reg-3');
    expect(
      tl.some(
        (e) =>
          e.type === 'escalation.raised' && e.data?.stage === 'T-1h' && e.data?.key === dora.key,
      ),
    ).toBe(true);
    let mails = await sesStore(rt);
    expect(
      mails.some(
        (m) =>
          m.destination.to.includes('ciso-office@acme-pay.example') &&
          m.subject.includes('ESCALATION T-1h'),
      ),
    ).toBe(true);
    await rt.advance(Date.parse(dora.due!) + 1000 - rt.clock.now().getTime()); // past the due time
    tl = await store.readTimeline('inc-reg-3');
    expect(tl.some((e) => e.type === 'notification.missed' && e.data?.key === dora.key)).toBe(true);
    expect((await store.getObligation('inc-reg-3', dora.key))?.missed).toBe(true);
    mails = await sesStore(rt);
    expect(mails.some((m) => m.subject.startsWith('MISSED: DORA-19 initial'))).toBe(true);
    // Approved late: it is still sent, and marked late.
    await approve(rt, dora.taskToken!);
    const late = await waitFor(async () => {
      const o = await store.getObligation('inc-reg-3', dora.key);
      return o?.status === 'sent' ? o : undefined;
    }, 'late send');
    expect(Date.parse(late.sentAt!)).toBeGreaterThan(Date.parse(late.due!));
    tl = await waitFor(async () => {
      const t = await store.readTimeline('inc-reg-3');
      return t.some((e) => e.type === 'notification.sent') ? t : undefined;
    }, 'late send on the timeline');
    expect(
      tl.find((e) => e.type === 'notification.sent' && e.data?.key === dora.key)?.data?.onTime,
    ).toBe(false);
    expect(verifyChain(tl).verified).toBe(true);
    await drain(rt);
  }, 60_000);

  it('reschedules on changed facts without duplicating obligations, schedules or approvals', async () => {
    const rt = await declare('inc-reg-4');
    const store = regulatoryStore(rt);
    const first = await waitFor(async () => {
      const obls = await store.listObligations('inc-reg-4');
      const g = obls.find((o) => o.key.startsWith('GDPR-33'));
      return g?.status === 'awaiting-approval' ? g : undefined;
    }, 'GDPR awaiting approval');
    const c4 = (await store.getCase('inc-reg-4'))!;
    expect(Date.parse(first.due!)).toBe(Date.parse(c4.declaredAt) + 72 * 3600_000);
    // The same facts again: same execution, nothing new.
    await publish(rt, 'ScopeAssessed', { incidentId: 'inc-reg-4', ...SCOPE });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      rt.runner.pendingTokens().filter((t) => t.executionArn.includes('inc-reg-4')).length,
    ).toBe(regulatoryTokens(rt).length);
    const execsBefore = [...rt.runner.executions.values()].filter(
      (e) => e.stateMachine === 'regulatory-clock',
    ).length;
    // Awareness of the personal-data breach turns out earlier: the GDPR clock moves.
    await publish(rt, 'RegulatoryFactsUpdated', {
      incidentId: 'inc-reg-4',
      facts: { timeline: { personalDataBreachAwareAt: '2026-11-30T08:00:00Z' } },
    });
    const moved = await waitFor(async () => {
      const g = await store.getObligation('inc-reg-4', first.key);
      return g &&
        Date.parse(g.due!) === Date.parse('2026-12-03T08:00:00Z') &&
        g.status === 'awaiting-approval'
        ? g
        : undefined;
    }, 'GDPR rescheduled and re-requested');
    const execs = [...rt.runner.executions.values()].filter(
      (e) => e.stateMachine === 'regulatory-clock',
    );
    expect(execs.length).toBe(execsBefore + 1);
    // The superseded approval wait was failed, so exactly one approval is pending per obligation.
    const obls = await store.listObligations('inc-reg-4');
    expect(new Set(obls.map((o) => o.key)).size).toBe(obls.length);
    const pendingForKey = regulatoryTokens(rt).filter((t) => t.token === moved.taskToken);
    expect(pendingForKey).toHaveLength(1);
    const gdprTokens = obls.filter((o) => o.key === first.key && o.taskToken);
    expect(gdprTokens).toHaveLength(1);
    expect(moved.taskToken).not.toBe(first.taskToken);
    // One schedule per stage, at the new times (updated, not duplicated).
    const mine = [...rt.scheduler.schedules.values()].filter(
      (s) => JSON.parse(s.input).key === first.key,
    );
    expect(mine.map((s) => JSON.parse(s.input).stage).sort()).toEqual([
      'T-1h',
      'T-24h',
      'T-4h',
      'due',
    ]);
    expect(mine.find((s) => JSON.parse(s.input).stage === 'due')!.at).toBe(
      '2026-12-03T08:00:00.000Z',
    );
    const tl = await store.readTimeline('inc-reg-4');
    expect(
      tl.some(
        (e) => e.type === 'obligation.scheduled' && String(e.summary).includes('rescheduled'),
      ),
    ).toBe(true);
    expect(verifyChain(tl).verified).toBe(true);
    await drain(rt);
  }, 60_000);
});
