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

const BERLIN = 'breach@datenschutz-berlin.example';

describe('GDPR Art. 33(4) phased information, storefront down', () => {
  it('sends one supplementary notice when the notified content changes after the send, none for other facts', async () => {
    rt = await LocalRuntime.start({ stage: 'drill', startAt: START, context: CONTEXT });
    const r = rt;
    r.setStorefrontDown();
    await clearSes(r);
    const id = 'inc-reg-phased';
    await publish(r, 'IncidentDeclared', incidentDetail(id));
    await publish(r, 'IncidentClassified', incidentDetail(id));
    await publish(r, 'ScopeAssessed', { incidentId: id, ...SCOPE });
    const store = regulatoryStore(r);
    const sentKeys = async () =>
      (await store.listObligations(id)).filter((o) => o.status === 'sent').map((o) => o.key);
    // The compliance officer approves whatever is asked, until the GDPR notification is out.
    const approveAll = async () => {
      for (const t of regulatoryTokens(r)) await approve(r, t.token).catch(() => undefined);
    };
    await waitFor(async () => {
      await approveAll();
      return (await sentKeys()).some((k) => k.startsWith('GDPR-33#notification#'));
    }, 'GDPR notification sent');
    const first = (await store.listObligations(id)).find((o) =>
      o.key.startsWith('GDPR-33#notification#'),
    )!;
    expect(first.draft!.missing).toContain('33(3)(c)');

    // Likely consequences become known (33(3)(c)): the same authority gets a supplement.
    await publish(r, 'RegulatoryFactsUpdated', {
      incidentId: id,
      narrative: { likelyConsequences: 'Phishing risk for the affected customers.' },
    });
    const supp = await waitFor(async () => {
      await approveAll();
      return (await store.listObligations(id)).find(
        (o) => o.report === 'supplementary' && o.status === 'sent',
      );
    }, 'supplementary notice sent');
    expect(supp.key).toMatch(/^GDPR-33#supplementary#supervisory-authority#[0-9a-f]{12}$/);
    expect(supp.due).toBeNull();
    expect(supp.basis).toContain('33(4)');
    expect(supp.draft!.subject).toContain('[GDPR-33 supplementary]');
    expect(supp.draft!.text).toContain(
      'Likely consequences [33(3)(c)]: Phishing risk for the affected customers.',
    );
    expect(supp.draft!.text).toContain('Previous submission [previous]: notification sent');
    expect(supp.draft!.missing).not.toContain('33(3)(c)');
    expect(Date.parse(supp.sentAt!)).toBeGreaterThan(Date.parse(first.sentAt!));

    // A change that is not GDPR content (Texas count) owes no further supplement; the same
    // narrative again changes nothing.
    await publish(r, 'RegulatoryFactsUpdated', {
      incidentId: id,
      facts: {
        subjects: SCOPE.subjects.map((s) => (s.region === 'TX' ? { ...s, count: 270 } : s)),
      },
    });
    await publish(r, 'RegulatoryFactsUpdated', {
      incidentId: id,
      narrative: { likelyConsequences: 'Phishing risk for the affected customers.' },
    });
    await drain(r);
    const obls = await store.listObligations(id);
    expect(obls.filter((o) => o.report === 'supplementary')).toHaveLength(1);
    expect(new Set(obls.map((o) => o.key)).size).toBe(obls.length);
    const mails = (await sesStore(r)).filter((m) => m.destination.to.includes(BERLIN));
    expect(mails.map((m) => m.subject.split(']')[0])).toEqual([
      '[GDPR-33 notification',
      '[GDPR-33 supplementary',
    ]);
    const tl = await store.readTimeline(id);
    expect(verifyChain(tl).verified).toBe(true);
    expect(
      tl.filter(
        (e) => e.type === 'notification.sent' && String(e.data?.key).startsWith('GDPR-33#'),
      ),
    ).toHaveLength(2);
    expect(
      tl.some((e) => e.type === 'obligation.scheduled' && String(e.summary).includes('33(4)')),
    ).toBe(true);
  }, 60_000);
});
