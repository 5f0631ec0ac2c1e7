import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';
import { approveCatalog, seedDataMap, uploadLeak } from '../../infra/local/scope-drill.ts';

/** notify-customers on the local runtime: the real ASL (Distributed Map → inline), functions, SES stand-in. */

const sesStore = async (rt: LocalRuntime) =>
  (
    (await (await fetch(`${rt.endpoints.sesv2}/store`)).json()) as {
      emails: Array<{ destination: { to: string[] }; subject: string; body: { text: string } }>;
    }
  ).emails;

async function openIncident(rt: LocalRuntime, incidentId: string, drill = false) {
  const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  const at = rt.clock.now().toISOString();
  await store.createIncident({
    incidentId,
    status: 'open',
    classification: 'pii-breach',
    severity: 'P1',
    severityRuleVersion: 'test',
    playbook: 'pii-breach',
    correlationKeys: [],
    alertIds: [],
    openedAt: at,
    updatedAt: at,
    drill,
  });
  return store;
}

describe('notify-customers on the local runtime', () => {
  let rt: LocalRuntime;
  beforeAll(async () => {
    rt = await LocalRuntime.start({ stage: 'test' });
  }, 60_000);
  afterAll(async () => {
    await rt?.stop();
  });

  it('scope → ScopeAssessed → approved notices in batches of 50; suppression; a rerun sends nothing twice', async () => {
    const incidentId = 'inc-notify-happy';
    const store = await openIncident(rt, incidentId);
    await seedDataMap(rt, { people: 130, leaked: 120, suppressed: [4, 9] });
    await approveCatalog(rt);
    const leak = await uploadLeak(rt, { people: 130, leaked: 120 });
    const out = (await rt.invokeFunction('assess-scope', { incidentId, leak })) as {
      recipients: number;
      batches: number;
      subjects: Array<{ country: string; region?: string; count: number }>;
    };
    expect(out.recipients).toBe(120);
    expect(out.batches).toBe(3);
    expect(out.subjects.reduce((n, s) => n + s.count, 0)).toBe(120);
    await rt.idle();

    const runs = [...rt.runner.executions.values()].filter(
      (e) => e.stateMachine === 'notify-customers',
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('SUCCEEDED');
    expect(runs[0]!.states.filter((s) => s === 'SendBatch')).toHaveLength(3);

    const mails = await sesStore(rt);
    expect(mails).toHaveLength(118);
    const to = mails.map((m) => m.destination.to[0]);
    expect(new Set(to).size).toBe(118);
    expect(to).not.toContain('person5@example.test');
    expect(to).not.toContain('person10@example.test');
    // residence → regime and locale: DE gets the German GDPR notice, US the state notice
    const de = mails.find((m) => m.destination.to[0] === 'person1@example.test')!;
    expect(de.subject).toBe('Wichtig: Verletzung des Schutzes Ihrer Daten');
    const us = mails.find((m) => m.destination.to[0] === 'person6@example.test')!;
    expect(us.body.text).toContain('What Information Was Involved');

    const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
    const totals = await notify.getTotals(incidentId);
    expect(totals).toMatchObject({
      recipients: 120,
      sent: 118,
      suppressed: 2,
      failed: 0,
      unconfirmed: 0,
      batches: 3,
    });
    const timeline = await store.readTimeline(incidentId);
    expect(timeline.map((t) => t.type)).toEqual(['scope.assessed', 'customers.notified']);

    // rerun of the whole machine: every recipient already has a record → nothing is sent again
    const again = rt.startExecution('notify-customers', { incidentId });
    await again.done;
    expect(again.status).toBe('SUCCEEDED');
    expect(await sesStore(rt)).toHaveLength(118);
    expect(await notify.getTotals(incidentId)).toMatchObject({ sent: 118, suppressed: 2 });
  }, 120_000);

  it('a drill incident: the same sends, every one to the drill sink (config/drills.json), none to a customer', async () => {
    const incidentId = 'inc-notify-drill';
    await openIncident(rt, incidentId, true);
    const before = (await sesStore(rt)).length;
    const leak = await uploadLeak(rt, {
      people: 130,
      leaked: 120,
      fileName: 'customer_20261129_111500.csv',
    });
    await rt.invokeFunction('assess-scope', { incidentId, leak });
    await rt.idle();
    const mails = (await sesStore(rt)).slice(before);
    const totals = await new DynamoNotifyStore(rt.dynamo(), rt.tableName()).getTotals(incidentId);
    expect(totals).toMatchObject({ sent: 118, suppressed: 2, failed: 0 });
    expect(mails).toHaveLength(118);
    const to = new Set(mails.flatMap((m) => m.destination.to));
    expect([...to]).toEqual(['success@simulator.amazonses.com']);
    expect(mails.some((m) => m.body.text.includes('Alex'))).toBe(false);
  }, 120_000);
});
