import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { DynamoRegulatoryStore } from '#adapters/regulatory/dynamo-regulatory-store.ts';
import { BUS_NAME, DETAIL_TYPE } from '#contracts/events.ts';
import { FactsPatchSchema, NarrativeSchema, REG_ENV } from '#contracts/regulatory-workflow.ts';
import { onTime } from '#domain/regulatory-workflow/case.ts';
import { verifyChain } from '#domain/timeline.ts';
import type { LocalRuntime } from './runtime.ts';
import type { Scenario } from './scenario.ts';

/**
 * The regulator workflow in a drill. `scenario.seed.regulatory` holds the facts the engine needs
 * beyond the incident itself (subjects per jurisdiction, data categories, DORA classification
 * inputs, narrative); they reach the workflow as `RegulatoryFactsUpdated` on the responder's bus,
 * forwarded to the regulatory bus like every incident fact. A drill compliance officer approves
 * every approval request through the task-token path (as `tourniquet approve` does).
 * `scenario.expect.regulatory` lists the obligations that must exist and the notices that must be
 * sent before their due time (keys `regime#report#recipient`).
 */
const SeedSchema = z.strictObject({
  facts: FactsPatchSchema.optional(),
  narrative: NarrativeSchema.optional(),
});
const ExpectSchema = z.strictObject({
  obligations: z.array(z.string().min(3)).default([]),
  notifications: z.array(z.string().min(3)).default([]),
});

export interface RegulatoryNotification {
  regime: string;
  report: string;
  recipient: string;
  due: string | null;
  sentAt: string;
  onTime: boolean;
  approvedBy: string | null;
  /** Drill cases: `dry-run` or `drill-recipient`, never `authority`. */
  delivery: string;
}

export interface RegulatoryObligationItem {
  regime: string;
  report: string;
  recipient: string;
  due: string | null;
  dueRule: string;
  status: string;
  missed: boolean;
}

export interface RegulatoryApproval {
  key: string;
  token: string;
  at: string;
}

/** The part of the drill's result this stage reads and fills (structural: no import of drill.ts). */
export interface RegulatoryDrillResult {
  incidentId: string | null;
  passed: boolean;
  failures: string[];
  notifications?: RegulatoryNotification[];
  obligations?: { total: number; regimes: string[]; items?: RegulatoryObligationItem[] };
  /** When the regulator workflow drafted its notices (its own timeline). */
  regulatorDraftsAt?: string[];
}

export const DRILL_COMPLIANCE_OFFICER = 'drill compliance officer';

/** Answers every regulatory-clock approval request (the drill's compliance officer). */
export function attachRegulatoryApprover(rt: LocalRuntime): RegulatoryApproval[] {
  const log: RegulatoryApproval[] = [];
  rt.runner.tokenListeners.push((token, info) => {
    if (!info.executionArn.includes(':regulatory-clock:')) return;
    const payload = (info.input?.Payload ?? info.input) as { key?: string };
    log.push({ key: String(payload.key ?? '?'), token, at: rt.clock.now().toISOString() });
    queueMicrotask(() => {
      try {
        rt.runner.sendTaskSuccess(token, {
          approved: true,
          approver: DRILL_COMPLIANCE_OFFICER,
          reason: 'drill: content checked',
        });
      } catch {
        // superseded meanwhile (changed facts failed the wait): the new execution asks again
      }
    });
  });
  return log;
}

/** Publishes the scenario's regulatory facts, waits for the workflow, reports and scores it. */
export async function finishRegulatory(
  rt: LocalRuntime,
  scenario: Scenario,
  result: RegulatoryDrillResult,
): Promise<void> {
  const seedRaw = (scenario.seed as { regulatory?: unknown }).regulatory;
  const expRaw = (scenario.expect as { regulatory?: unknown }).regulatory;
  if (seedRaw === undefined && expRaw === undefined) return;
  const fail = (m: string) => result.failures.push(m);
  const seed = SeedSchema.safeParse(seedRaw ?? {});
  const exp = ExpectSchema.safeParse(expRaw ?? {});
  if (!seed.success || !exp.success) {
    const i = (seed.error ?? exp.error)!.issues[0];
    fail(`scenario regulatory section invalid at ${i?.path.join('.') || '/'}: ${i?.message}`);
    result.passed = false;
    return;
  }
  const incidentId = result.incidentId;
  if (!incidentId) {
    fail('regulatory: no incident, so no regulator workflow');
    result.passed = false;
    return;
  }
  if (seed.data.facts || seed.data.narrative) {
    const cfg = rt.awsConfig();
    const eb = new EventBridgeClient({
      region: cfg.region,
      credentials: cfg.credentials,
      endpoint: rt.endpoints.eventbridge,
    });
    try {
      await eb.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: BUS_NAME,
              Source: 'tourniquet.drill',
              DetailType: DETAIL_TYPE.regulatoryFactsUpdated,
              Detail: JSON.stringify({ incidentId, ...seed.data }),
            },
          ],
        }),
      );
    } finally {
      eb.destroy();
    }
  }
  await regulatoryIdle(rt);
  const store = new DynamoRegulatoryStore(
    rt.dynamo(),
    rt.functionEnv('regulatory-plan')[REG_ENV.table]!,
  );
  const records = await store.listObligations(incidentId);
  result.regulatorDraftsAt = (await store.readTimeline(incidentId))
    .filter((e) => e.type === 'notification.drafted')
    .map((e) => e.at);
  const items: RegulatoryObligationItem[] = records.map((r) => ({
    regime: r.regime,
    report: r.report,
    recipient: r.recipient,
    due: r.due,
    dueRule: r.dueRule,
    status: r.status,
    missed: r.missed === true,
  }));
  const notifications: RegulatoryNotification[] = records
    .filter((r) => r.status === 'sent' && r.sentAt)
    .sort((a, b) => a.sentAt!.localeCompare(b.sentAt!))
    .map((r) => ({
      regime: r.regime,
      report: r.report,
      recipient: r.recipient,
      due: r.due,
      sentAt: r.sentAt!,
      onTime: onTime(r.due, r.sentAt!),
      approvedBy: r.approval?.approver ?? null,
      delivery: r.delivery ?? 'authority',
    }));
  // A drill never addresses an authority: not on the records, not in the SES stand-in.
  const regCase = await store.getCase(incidentId);
  if (regCase?.drill) {
    for (const n of notifications)
      if (n.delivery === 'authority')
        fail(`regulatory: ${n.regime} ${n.report} of a drill case was sent to the authority`);
    const authorities = new Set(Object.values(regCase.contacts.authorities));
    const mails = (await (await fetch(`${rt.endpoints.sesv2}/store`)).json()) as {
      emails: Array<{ destination: { to: string[] } }>;
    };
    const reached = mails.emails.filter((m) => m.destination.to.some((a) => authorities.has(a)));
    if (reached.length > 0)
      fail(`regulatory: ${reached.length} mail(s) of a drill reached an authority address`);
  } else if (regCase) fail('regulatory: the case of a drill incident is not marked as a drill');
  result.notifications = notifications;
  result.obligations = {
    ...(result.obligations ?? {
      total: items.length,
      regimes: [...new Set(items.map((o) => o.regime))].sort(),
    }),
    items,
  };
  const keyOf = (o: { regime: string; report: string; recipient: string }) =>
    `${o.regime}#${o.report}#${o.recipient}`;
  for (const k of exp.data.obligations)
    if (!items.some((o) => keyOf(o).startsWith(k))) fail(`regulatory: no obligation ${k}`);
  for (const k of exp.data.notifications) {
    const n = notifications.find((x) => keyOf(x).startsWith(k));
    if (!n) fail(`regulatory: ${k} was not sent`);
    else if (!n.onTime) fail(`regulatory: ${k} was sent late (${n.sentAt} > ${n.due})`);
  }
  for (const o of items)
    if (o.status !== 'sent' && o.status !== 'withdrawn')
      fail(`regulatory: ${keyOf(o)} ended ${o.status}`);
  if (notifications.some((n) => !n.onTime))
    fail('regulatory: a notice was sent after its due time');
  const tl = await store.readTimeline(incidentId);
  if (!verifyChain(tl).verified) fail('regulatory timeline hash chain does not verify');
  result.passed = result.failures.length === 0;
}

/** Until no regulatory-clock execution runs (the approver answers each request), then idle. */
async function regulatoryIdle(rt: LocalRuntime, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    await rt.idle(ms);
    const running = [...rt.runner.executions.values()].some(
      (e) => e.stateMachine === 'regulatory-clock' && e.status === 'RUNNING',
    );
    if (!running) return;
    if (Date.now() > end) throw new Error('regulatory: workflow still running after the drill');
    await new Promise((r) => setTimeout(r, 50));
  }
}
