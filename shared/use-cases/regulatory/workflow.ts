import { createHash } from 'node:crypto';
import { DETAIL_TYPE } from '#contracts/events.ts';
import { firstIssue, IncidentFactsSchema } from '#contracts/incident-facts.ts';
import {
  type RegulatoryDrillDelivery,
  RegulatoryFactsUpdatedSchema,
  type RegulatoryProfile,
  ScopeAssessedDetailSchema,
} from '#contracts/regulatory-workflow.ts';
import { computeObligations } from '#domain/regulatory/index.ts';
import type { IncidentFacts, Obligation } from '#domain/regulatory/types.ts';
import { renderNotice, TEMPLATES_VERSION } from '#domain/regulatory-notices/render.ts';
import {
  assembleFacts,
  authorityAddress,
  executionName,
  type FactsPatch,
  factsHash,
  isAuthorityObligation,
  mergePatch,
  obligationKey,
  onTime,
  priorSubmissions,
  REMINDER_OFFSETS_H,
  type RegulatoryCase,
  type ReminderStageName,
  reminderPlan,
  scheduleName,
} from '#domain/regulatory-workflow/case.ts';
import {
  article33Content,
  contentHash,
  PHASED_REGIMES,
  SUPPLEMENTARY_BASIS,
  SUPPLEMENTARY_DUE_RULE,
  SUPPLEMENTARY_REPORT,
  supplementaryKey,
  supplementOwed,
} from '#domain/regulatory-workflow/phased.ts';
import type { Clock } from '#ports/clock.ts';
import type { EvidenceStore } from '#ports/evidence-store.ts';
import type {
  ExecutionStarter,
  Mailer,
  NoticeDelivery,
  ObligationRecord,
  RegulatoryStore,
  ReminderScheduler,
  TaskTokens,
} from '#ports/regulatory.ts';
import { NamedError, NonRetryableError, RetryableError } from '#runtime/errors.ts';

/**
 * The regulator workflow's use cases. They read and write only the regulatory table (plus
 * mail, reminders, evidence): no storefront, gateway or responder-table dependency, so the
 * workflow runs with Magento and the gateways unreachable.
 */

export class SupersededError extends NamedError {
  override readonly name = 'SupersededError' as const;
}

export interface RegulatoryDeps {
  store: RegulatoryStore;
  clock: Clock;
  profile?: RegulatoryProfile | undefined;
  executions?: ExecutionStarter | undefined;
  tokens?: TaskTokens | undefined;
  reminders?: ReminderScheduler | undefined;
  mailer?: Mailer | undefined;
  evidence?: EvidenceStore | undefined;
  /** Where the notices of drill cases go (never the authority); unset = dry run. */
  drillDelivery?: RegulatoryDrillDelivery | undefined;
}

/** Subject prefix of every mail the workflow sends for a drill case. */
export const DRILL_SUBJECT = '[DRILL] ';
const subjectOf = (c: Pick<RegulatoryCase, 'drill'>, subject: string) =>
  c.drill ? `${DRILL_SUBJECT}${subject}` : subject;

const need = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new NonRetryableError(`regulatory: ${what} is not configured`);
  return v;
};

const ACTOR = 'regulatory-clock';
const INCIDENT_TYPES = new Set<string>([
  DETAIL_TYPE.incidentDeclared,
  DETAIL_TYPE.incidentClassified,
  DETAIL_TYPE.incidentUpdated,
]);

// ---------------------------------------------------------------- intake

export interface IntakeEvent {
  'detail-type': string;
  time: string;
  detail: Record<string, unknown> & { incidentId: string };
}

/**
 * Copies what the workflow needs into its own table (facts, scope summary, contacts, templates
 * version), and starts the `regulatory-clock` execution for the facts hash: the same facts map
 * to the same execution name (never a duplicate); changed facts start a new execution and
 * release the approvals the previous one was waiting for.
 */
export async function intake(deps: RegulatoryDeps, ev: IntakeEvent) {
  const profile = need(deps.profile, 'the regulatory profile (entity, contacts)');
  const incidentId = ev.detail.incidentId;
  const type = ev['detail-type'];
  for (let attempt = 0; attempt < 20; attempt++) {
    const prev = await deps.store.getCase(incidentId);
    const next = applyEvent(prev, profile, ev);
    const facts = assembleFacts(next);
    const parsed = IncidentFactsSchema.safeParse(facts);
    if (!parsed.success) {
      const i = firstIssue(parsed.error);
      throw new NonRetryableError(
        `facts of ${incidentId} invalid at ${i.path || '/'}: ${i.reason}`,
      );
    }
    const hash = factsHash(facts, next.narrative);
    const changed = prev?.factsHash !== hash;
    const record: RegulatoryCase = { ...next, factsHash: hash, version: (prev?.version ?? 0) + 1 };
    // A case becomes a drill as soon as any event says so (never the other way round).
    const becameDrill = prev !== undefined && !prev.drill && next.drill;
    if (changed || !prev || becameDrill) {
      if (!(await deps.store.putCase(record, prev?.version))) continue; // lost a race: re-read
      const now = deps.clock.now().toISOString();
      await deps.store.appendTimeline(incidentId, {
        type: prev ? 'incident.updated' : 'incident.declared',
        at: now,
        actor: 'regulatory-intake',
        summary: !prev
          ? `regulatory case opened (${type}), facts ${hash}${next.drill ? ' (drill)' : ''}`
          : changed
            ? `regulatory facts changed (${type}): ${prev.factsHash} → ${hash}`
            : `regulatory case marked as a drill (${type}): its notices are never sent to an authority`,
        data: {
          detailType: type,
          factsHash: hash,
          previous: prev?.factsHash ?? null,
          ...(next.drill ? { drill: true } : {}),
        },
      });
      if (prev && changed) await releaseSuperseded(deps, incidentId, hash);
    }
    const exec = need(deps.executions, 'the state machine');
    const name = executionName(incidentId, hash);
    const started = await exec.start(name, { incidentId, factsHash: hash });
    return { incidentId, factsHash: hash, changed, execution: name, started: started.started };
  }
  throw new RetryableError(`intake: too much contention on ${incidentId}`);
}

function applyEvent(
  prev: RegulatoryCase | undefined,
  profile: RegulatoryProfile,
  ev: IntakeEvent,
): Omit<RegulatoryCase, 'factsHash' | 'version'> {
  const d = ev.detail;
  const base: Omit<RegulatoryCase, 'factsHash' | 'version'> = prev ?? {
    incidentId: d.incidentId,
    entity: profile.entity,
    ...(profile.groupEntities ? { groupEntities: profile.groupEntities } : {}),
    contacts: profile.contacts,
    ...(profile.aiSystemId ? { aiSystemId: profile.aiSystemId } : {}),
    classification: String(d.classification ?? 'unknown'),
    severity: String(d.severity ?? 'unknown'),
    drill: d.drill === true,
    declaredAt: toUtc(ev.time),
    patch: {},
    narrative: {},
    templatesVersion: TEMPLATES_VERSION,
  };
  const c = { ...base };
  if (d.drill === true) c.drill = true;
  const type = ev['detail-type'];
  if (INCIDENT_TYPES.has(type)) {
    if (type === DETAIL_TYPE.incidentDeclared && Date.parse(ev.time) < Date.parse(c.declaredAt))
      c.declaredAt = toUtc(ev.time);
    if (typeof d.classification === 'string') c.classification = d.classification;
    if (typeof d.severity === 'string') c.severity = d.severity;
    if (type === DETAIL_TYPE.incidentClassified && !c.patch.timeline?.classifiedMajorAt)
      c.patch = mergePatch(c.patch, { timeline: { classifiedMajorAt: toUtc(ev.time) } });
  } else if (type === DETAIL_TYPE.scopeAssessed) {
    const s = ScopeAssessedDetailSchema.parse(d);
    c.patch = mergePatch(c.patch, {
      ...(s.facts ?? {}),
      subjects: s.subjects,
      dataCategories: s.dataCategories,
    } as FactsPatch);
    c.scope = { assessedAt: s.assessedAt ?? toUtc(ev.time), records: s.records };
  } else if (type === DETAIL_TYPE.regulatoryFactsUpdated) {
    const u = RegulatoryFactsUpdatedSchema.parse(d);
    if (u.facts) c.patch = mergePatch(c.patch, u.facts as FactsPatch);
    if (u.narrative) c.narrative = { ...c.narrative, ...u.narrative };
  }
  return c;
}

const toUtc = (t: string) => new Date(Date.parse(t)).toISOString();

/** Obligations held by an older execution go back to pending; their approval waits are failed. */
async function releaseSuperseded(deps: RegulatoryDeps, incidentId: string, hash: string) {
  for (const o of await deps.store.listObligations(incidentId)) {
    if (o.factsHash === hash || ['sent', 'withdrawn'].includes(o.status)) continue;
    const ok = await deps.store.updateObligation(
      incidentId,
      o.key,
      { claim: null, taskToken: null, status: o.status === 'rejected' ? 'rejected' : 'pending' },
      { notStatus: ['sent', 'sending'] },
    );
    if (ok && o.taskToken && deps.tokens)
      await deps.tokens.fail(o.taskToken, 'SupersededError', JSON.stringify({ factsHash: hash }));
  }
}

// ---------------------------------------------------------------- plan

export interface ItemInput {
  incidentId: string;
  factsHash: string;
  executionId?: string | undefined;
  key: string;
}

/** Facts as the engine sees them now: the case's facts plus what has actually been submitted. */
function currentFacts(c: RegulatoryCase, records: ObligationRecord[]): IncidentFacts {
  const sent = records
    .filter((r) => r.status === 'sent' && r.sentAt && r.report !== SUPPLEMENTARY_REPORT)
    .map((r) => ({
      regime: r.regime,
      report: r.report,
      recipient: r.recipient,
      sentAt: r.sentAt!,
    }));
  const facts = assembleFacts(c);
  return sent.length ? { ...facts, priorSubmissions: priorSubmissions(sent) } : facts;
}

/**
 * Computes the obligations for the current facts and prior submissions; records each authority
 * obligation once (key regime#report#recipient, conditional write), reschedules its reminders
 * when the due time changes, withdraws obligations no longer owed, and claims the pending ones
 * for this execution. Sent obligations are never touched.
 */
export async function plan(
  deps: RegulatoryDeps,
  input: { incidentId: string; factsHash: string; executionId?: string | undefined },
) {
  const c = await deps.store.getCase(input.incidentId);
  if (!c) throw new NonRetryableError(`no regulatory case ${input.incidentId}`);
  const claim = input.executionId ?? executionName(input.incidentId, input.factsHash);
  if (c.factsHash !== input.factsHash)
    return {
      incidentId: input.incidentId,
      factsHash: input.factsHash,
      superseded: true,
      items: [],
    };
  const now = deps.clock.now();
  const at = now.toISOString();
  const records = await deps.store.listObligations(c.incidentId);
  const byKey = new Map(records.map((r) => [r.key, r]));
  const result = computeObligations(currentFacts(c, records));
  const owed = result.obligations.filter(isAuthorityObligation);
  const owedKeys = new Set<string>();
  for (const o of owed) {
    const key = obligationKey(o);
    owedKeys.add(key);
    const existing = byKey.get(key);
    if (!existing) {
      const rec: ObligationRecord = {
        incidentId: c.incidentId,
        key,
        ...obligationFields(o),
        status: 'pending',
        factsHash: c.factsHash,
        updatedAt: at,
      };
      if (await deps.store.putObligationIfAbsent(rec)) {
        await scheduleReminders(deps, c.incidentId, key, o.due, now);
        await deps.store.appendTimeline(c.incidentId, {
          type: 'obligation.scheduled',
          at,
          actor: ACTOR,
          summary: `${o.regime} ${o.report} to ${o.recipient} due ${o.due ?? o.dueRule}`,
          data: {
            key,
            due: o.due,
            dueRule: o.dueRule,
            basis: o.basis,
            clockStart: o.clockStart,
            factsHash: c.factsHash,
          },
        });
        if (!authorityAddress(c.contacts, o))
          await deps.store.appendTimeline(c.incidentId, {
            type: 'escalation.raised',
            at,
            actor: ACTOR,
            summary: `no authority address configured for ${o.regime}/${o.recipient}`,
            data: { key, reason: 'no-address' },
          });
      }
      continue;
    }
    if (existing.status === 'sent' || existing.status === 'sending') continue;
    const dueChanged = existing.due !== o.due;
    if (existing.factsHash !== c.factsHash || dueChanged || existing.status === 'withdrawn') {
      const reopened =
        existing.status === 'rejected' && existing.factsHash === c.factsHash
          ? 'rejected'
          : 'pending';
      const ok = await deps.store.updateObligation(
        c.incidentId,
        key,
        {
          ...obligationFields(o),
          factsHash: c.factsHash,
          status: reopened,
          claim: null,
          taskToken: null,
          updatedAt: at,
        },
        { notStatus: ['sent', 'sending'] },
      );
      if (ok && dueChanged) {
        await scheduleReminders(deps, c.incidentId, key, o.due, now);
        await deps.store.appendTimeline(c.incidentId, {
          type: 'obligation.scheduled',
          at,
          actor: ACTOR,
          summary: `${o.regime} ${o.report} rescheduled: due ${existing.due ?? existing.dueRule} → ${o.due ?? o.dueRule}`,
          data: { key, due: o.due, previousDue: existing.due, factsHash: c.factsHash },
        });
      }
    }
  }
  for (const key of await planSupplements(deps, c, records, at)) owedKeys.add(key);
  for (const r of records) {
    if (owedKeys.has(r.key) || ['sent', 'sending', 'withdrawn'].includes(r.status)) continue;
    if (
      await deps.store.updateObligation(
        c.incidentId,
        r.key,
        { status: 'withdrawn', claim: null, updatedAt: at },
        { notStatus: ['sent', 'sending'] },
      )
    ) {
      await cancelReminders(deps, c.incidentId, r.key);
      await deps.store.appendTimeline(c.incidentId, {
        type: 'obligation.scheduled',
        at,
        actor: ACTOR,
        summary: `${r.regime} ${r.report} withdrawn: no longer owed on the current facts`,
        data: { key: r.key, withdrawn: true, factsHash: c.factsHash },
      });
    }
  }
  const items: Array<{ key: string; regime: string; report: string }> = [];
  for (const r of await deps.store.listObligations(c.incidentId)) {
    if (r.status !== 'pending' || r.factsHash !== c.factsHash) continue;
    if (
      await deps.store.updateObligation(
        c.incidentId,
        r.key,
        { status: 'drafting', claim, updatedAt: at },
        { status: ['pending'] },
      )
    )
      items.push({ key: r.key, regime: r.regime, report: r.report });
  }
  return { incidentId: c.incidentId, factsHash: c.factsHash, superseded: false, items };
}

/**
 * GDPR 33(4): after a notification (or supplement) was sent, changed Art. 33(3) content owes the
 * same authority a supplementary notice, one per content (key carries its hash). A supplement not
 * yet sent follows the current facts; one for content that changed again is withdrawn by the
 * caller (its key is no longer owed). Returns the keys owed now.
 */
async function planSupplements(
  deps: RegulatoryDeps,
  c: RegulatoryCase,
  records: ObligationRecord[],
  at: string,
): Promise<string[]> {
  const owed: string[] = [];
  const lastSent = new Map<string, ObligationRecord>();
  for (const r of records)
    if (PHASED_REGIMES.has(r.regime) && r.status === 'sent' && r.sentAt && r.draft) {
      const k = `${r.regime}#${r.recipient}`;
      const prev = lastSent.get(k);
      if (!prev || prev.sentAt! < r.sentAt) lastSent.set(k, r);
    }
  for (const last of lastSent.values()) {
    const current = renderFor(c, last, records, at).text;
    if (!supplementOwed(last.draft!.text, current)) continue;
    const key = supplementaryKey(
      last.regime,
      last.recipient,
      contentHash(article33Content(current)),
    );
    owed.push(key);
    const existing = records.find((r) => r.key === key);
    if (existing) {
      if (['sent', 'sending'].includes(existing.status) || existing.factsHash === c.factsHash)
        continue;
      await deps.store.updateObligation(
        c.incidentId,
        key,
        { factsHash: c.factsHash, status: 'pending', claim: null, taskToken: null, updatedAt: at },
        { notStatus: ['sent', 'sending'] },
      );
      continue;
    }
    const rec: ObligationRecord = {
      incidentId: c.incidentId,
      key,
      regime: last.regime,
      report: SUPPLEMENTARY_REPORT,
      recipient: last.recipient,
      ...(last.recipientName ? { recipientName: last.recipientName } : {}),
      due: null,
      dueRule: SUPPLEMENTARY_DUE_RULE,
      basis: SUPPLEMENTARY_BASIS,
      clockStart: at,
      status: 'pending',
      factsHash: c.factsHash,
      updatedAt: at,
    };
    if (await deps.store.putObligationIfAbsent(rec))
      await deps.store.appendTimeline(c.incidentId, {
        type: 'obligation.scheduled',
        at,
        actor: ACTOR,
        summary: `${last.regime} supplementary notice (Art. 33(4)) to ${last.recipientName ?? last.recipient}: the notified information changed after ${last.report} was sent`,
        data: { key, previous: last.key, previousSentAt: last.sentAt, factsHash: c.factsHash },
      });
  }
  return owed;
}

/** The notice for a record from the case's own data (pure renderer). */
function renderFor(
  c: RegulatoryCase,
  rec: ObligationRecord,
  records: ObligationRecord[],
  at: string,
) {
  const previous = records
    .filter((r) => r.regime === rec.regime && r.status === 'sent' && r.key !== rec.key && r.sentAt)
    .sort((a, b) => a.sentAt!.localeCompare(b.sentAt!))
    .pop();
  return renderNotice({
    incidentId: c.incidentId,
    obligation: { ...rec } as unknown as Obligation,
    facts: currentFacts(c, records),
    narrative: c.narrative,
    contactPoint: c.contacts.contactPoint,
    aiSystemId: c.aiSystemId,
    renderedAt: at,
    previous: previous
      ? {
          report: previous.report,
          sentAt: previous.sentAt!,
          reference: previous.messageId ?? previous.key,
        }
      : undefined,
  });
}

function obligationFields(o: Obligation) {
  return {
    regime: o.regime,
    report: o.report,
    recipient: o.recipient,
    ...(o.recipientName ? { recipientName: o.recipientName } : {}),
    due: o.due,
    dueRule: o.dueRule,
    basis: o.basis,
    clockStart: o.clockStart,
  };
}

async function scheduleReminders(
  deps: RegulatoryDeps,
  incidentId: string,
  key: string,
  due: string | null,
  now: Date,
) {
  if (!deps.reminders) return;
  const planned = reminderPlan(due, now);
  const plannedStages = new Set(planned.map((p) => p.stage));
  for (const r of planned)
    await deps.reminders.upsert(scheduleName(incidentId, key, r.stage), r.at, {
      incidentId,
      key,
      stage: r.stage,
      due: due!,
    });
  for (const stage of Object.keys(REMINDER_OFFSETS_H) as ReminderStageName[])
    if (!plannedStages.has(stage))
      await deps.reminders.remove(scheduleName(incidentId, key, stage));
}

async function cancelReminders(deps: RegulatoryDeps, incidentId: string, key: string) {
  if (!deps.reminders) return;
  for (const stage of Object.keys(REMINDER_OFFSETS_H) as ReminderStageName[])
    await deps.reminders.remove(scheduleName(incidentId, key, stage));
}

// ---------------------------------------------------------------- per obligation

async function held(deps: RegulatoryDeps, input: ItemInput) {
  const c = await deps.store.getCase(input.incidentId);
  const rec = await deps.store.getObligation(input.incidentId, input.key);
  const claim = input.executionId ?? executionName(input.incidentId, input.factsHash);
  if (!c || !rec || c.factsHash !== input.factsHash || rec.claim !== claim)
    throw new SupersededError(`${input.key}: superseded by newer facts`);
  return { c, rec, claim };
}

/** Renders the notice from the case's own record and files it as a draft. */
export async function draft(deps: RegulatoryDeps, input: ItemInput) {
  const { c, rec, claim } = await held(deps, input);
  const records = await deps.store.listObligations(c.incidentId);
  const at = deps.clock.now().toISOString();
  const notice = renderFor(c, rec, records, at);
  const sha256 = createHash('sha256').update(notice.text).digest('hex');
  const ok = await deps.store.updateObligation(
    c.incidentId,
    rec.key,
    {
      status: 'drafted',
      draft: {
        subject: notice.subject,
        text: notice.text,
        sha256,
        missing: notice.missing,
        templateId: notice.templateId,
        templatesVersion: notice.templatesVersion,
        renderedAt: at,
      },
      updatedAt: at,
    },
    { claim, status: ['drafting', 'drafted'] },
  );
  if (!ok) throw new SupersededError(`${rec.key}: superseded while drafting`);
  await deps.store.appendTimeline(c.incidentId, {
    type: 'notification.drafted',
    at,
    actor: ACTOR,
    summary: `${rec.regime} ${rec.report} drafted (${notice.templateId}, ${notice.missing.length} field(s) to complete)`,
    data: {
      key: rec.key,
      sha256,
      templateId: notice.templateId,
      missing: notice.missing,
      due: rec.due,
    },
  });
  return { key: rec.key, sha256, missing: notice.missing.length };
}

/** Parks the draft for a compliance officer: the task token is stored and mailed to the officer. */
export async function requestApproval(
  deps: RegulatoryDeps,
  input: ItemInput & { taskToken: string },
) {
  const { c, rec, claim } = await held(deps, input);
  const at = deps.clock.now().toISOString();
  if (!['drafted', 'awaiting-approval'].includes(rec.status))
    throw new SupersededError(`${rec.key}: superseded before approval (${rec.status})`);
  // Mail first, then store the token: a failed mail (retried with a new token) never leaves a
  // dead token on the record for an approver to answer.
  const mailer = need(deps.mailer, 'mail');
  await mailer.send({
    from: c.contacts.sender,
    to: c.contacts.complianceOfficer,
    subject: subjectOf(
      c,
      `Approval needed: ${rec.draft?.subject ?? rec.key} (due ${rec.due ?? rec.dueRule})`,
    ),
    text: [
      `A regulator notification is ready for your approval.`,
      `Obligation: ${rec.regime} ${rec.report} to ${rec.recipientName ?? rec.recipient}`,
      `Due: ${rec.due ?? rec.dueRule}`,
      `Fields to complete: ${rec.draft?.missing.join(', ') || 'none'}`,
      '',
      `Approve: npx tourniquet approve ${input.taskToken} --approver "<your name>" --reason "<why>"`,
      `Reject:  npx tourniquet reject ${input.taskToken} --approver "<your name>" --reason "<why>"`,
      '',
      '--- draft ---',
      rec.draft?.text ?? '',
    ].join('\n'),
  });
  const ok = await deps.store.updateObligation(
    c.incidentId,
    rec.key,
    { status: 'awaiting-approval', taskToken: input.taskToken, updatedAt: at },
    { claim, status: ['drafted', 'awaiting-approval'] },
  );
  if (!ok) throw new SupersededError(`${rec.key}: superseded before approval`);
  await deps.store.appendTimeline(c.incidentId, {
    type: 'approval.requested',
    at,
    actor: ACTOR,
    summary: `${rec.regime} ${rec.report}: approval requested from the compliance officer`,
    data: { key: rec.key, due: rec.due, draftSha256: rec.draft?.sha256 },
  });
  return { key: rec.key, requested: true };
}

/** After approval: files the rendered document as evidence, sends it by SES, records the send. */
export async function send(
  deps: RegulatoryDeps,
  input: ItemInput & {
    approval: { approved: true; approver: string; reason?: string | undefined };
  },
) {
  const { c, rec, claim } = await held(deps, input);
  const at = deps.clock.now().toISOString();
  // 'drafted': the approver answered the mailed token before the request step stored it.
  if (rec.status === 'awaiting-approval' || rec.status === 'drafted') {
    const ok = await deps.store.updateObligation(
      c.incidentId,
      rec.key,
      {
        status: 'sending',
        taskToken: null,
        approval: { approver: input.approval.approver, reason: input.approval.reason, at },
        updatedAt: at,
      },
      { claim, status: ['awaiting-approval', 'drafted'] },
    );
    if (!ok) throw new SupersededError(`${rec.key}: superseded during approval`);
    await deps.store.appendTimeline(c.incidentId, {
      type: 'approval.granted',
      at,
      actor: input.approval.approver,
      summary: `${rec.regime} ${rec.report} approved by ${input.approval.approver}${input.approval.reason ? ` (${input.approval.reason})` : ''}`,
      data: {
        key: rec.key,
        approver: input.approval.approver,
        reason: input.approval.reason ?? null,
      },
    });
  } else if (rec.status !== 'sending') throw new SupersededError(`${rec.key} is ${rec.status}`);
  // A drill case never addresses the authority: its notice goes to the drill mailbox, or
  // nowhere (dry run), and is filed as evidence either way.
  const drill = c.drill === true;
  const drillDelivery: RegulatoryDrillDelivery = deps.drillDelivery ?? { mode: 'dry-run' };
  const to = drill ? undefined : authorityAddress(c.contacts, rec as unknown as Obligation);
  if (!drill && !to)
    throw new NonRetryableError(
      `no authority address configured for ${rec.regime}/${rec.recipient}`,
    );
  const draftRec = rec.draft;
  if (!draftRec) throw new NonRetryableError(`${rec.key} has no draft`);
  const evidence = need(deps.evidence, 'the evidence bucket');
  const stored = await evidence.put(
    `regulatory/${c.incidentId}/${rec.key.replace(/[^A-Za-z0-9._-]/g, '_')}/${draftRec.sha256}.txt`,
    draftRec.text,
    'text/plain; charset=utf-8',
    {
      regime: rec.regime.replace(/[^A-Za-z0-9._-]/g, '_'),
      incident: c.incidentId.slice(0, 128),
      ...(drill ? { 'tourniquet:drill': 'true' } : {}),
    },
  );
  const delivery: NoticeDelivery = drill ? drillDelivery.mode : 'authority';
  let messageId: string;
  if (!drill)
    messageId = (
      await need(deps.mailer, 'mail').send({
        from: c.contacts.sender,
        to: to!,
        subject: draftRec.subject,
        text: draftRec.text,
      })
    ).messageId;
  else if (drillDelivery.mode === 'drill-recipient')
    messageId = (
      await need(deps.mailer, 'mail').send({
        from: c.contacts.sender,
        to: drillDelivery.to,
        subject: subjectOf(c, draftRec.subject),
        text: `DRILL - not a notification to ${rec.recipientName ?? rec.recipient}. Incident ${c.incidentId} is a drill.\n\n${draftRec.text}`,
      })
    ).messageId;
  else messageId = `dry-run:${draftRec.sha256.slice(0, 32)}`;
  const sentAt = deps.clock.now().toISOString();
  await deps.store.updateObligation(
    c.incidentId,
    rec.key,
    {
      status: 'sent',
      sentAt,
      messageId,
      delivery,
      evidence: { bucket: stored.bucket, key: stored.key, sha256: stored.sha256 },
      updatedAt: sentAt,
    },
    { status: ['sending'] },
  );
  await cancelReminders(deps, c.incidentId, rec.key);
  const timely = onTime(rec.due, sentAt);
  const who = rec.recipientName ?? rec.recipient;
  const how =
    delivery === 'authority'
      ? `sent to ${who}`
      : delivery === 'drill-recipient'
        ? `sent to the drill mailbox (drill; ${who} not addressed)`
        : `recorded as a dry run (drill; nothing sent to ${who})`;
  await deps.store.appendTimeline(c.incidentId, {
    type: 'notification.sent',
    at: sentAt,
    actor: ACTOR,
    summary: `${rec.regime} ${rec.report} ${how}${timely ? '' : ' (late)'}`,
    data: {
      key: rec.key,
      due: rec.due,
      onTime: timely,
      messageId,
      delivery,
      evidenceKey: stored.key,
      sha256: stored.sha256,
    },
  });
  return { key: rec.key, sentAt, onTime: timely, delivery };
}

/** Catch path: a rejection is recorded; any other failure escalates (timeline + mail). */
export async function escalate(
  deps: RegulatoryDeps,
  input: ItemInput & { error: { Error: string; Cause?: string | undefined } },
) {
  const at = deps.clock.now().toISOString();
  const rec = await deps.store.getObligation(input.incidentId, input.key);
  const c = await deps.store.getCase(input.incidentId);
  if (!rec || !c) return { key: input.key, outcome: 'unknown' };
  if (input.error.Error === 'SupersededError') return { key: input.key, outcome: 'superseded' };
  const claim = input.executionId ?? executionName(input.incidentId, input.factsHash);
  if (input.error.Error === 'ApprovalRejectedError') {
    const d = parseDecision(input.error.Cause);
    const ok = await deps.store.updateObligation(
      c.incidentId,
      rec.key,
      {
        status: 'rejected',
        taskToken: null,
        rejection: { approver: d.approver, reason: d.reason, at },
        updatedAt: at,
      },
      { claim },
    );
    if (!ok) return { key: rec.key, outcome: 'superseded' };
    await deps.store.appendTimeline(c.incidentId, {
      type: 'approval.rejected',
      at,
      actor: d.approver,
      summary: `${rec.regime} ${rec.report} rejected by ${d.approver}${d.reason ? ` (${d.reason})` : ''}`,
      data: { key: rec.key, approver: d.approver, reason: d.reason ?? null, due: rec.due },
    });
    return { key: rec.key, outcome: 'rejected' };
  }
  await deps.store.updateObligation(
    c.incidentId,
    rec.key,
    { status: 'failed', updatedAt: at },
    { claim, notStatus: ['sent'] },
  );
  await deps.store.appendTimeline(c.incidentId, {
    type: 'escalation.raised',
    at,
    actor: ACTOR,
    summary: `${rec.regime} ${rec.report}: workflow step failed (${input.error.Error})`,
    data: { key: rec.key, error: input.error.Error, due: rec.due },
  });
  await deps.mailer?.send({
    from: c.contacts.sender,
    to: c.contacts.escalation,
    subject: subjectOf(
      c,
      `ESCALATION: ${rec.regime} ${rec.report} could not be completed (due ${rec.due ?? rec.dueRule})`,
    ),
    text: `Incident ${c.incidentId}: the regulator workflow failed on ${rec.key} (${input.error.Error}). Send it manually before ${rec.due ?? rec.dueRule}.`,
  });
  return { key: rec.key, outcome: 'escalated' };
}

function parseDecision(cause: string | undefined): {
  approver: string;
  reason?: string | undefined;
} {
  try {
    const d = JSON.parse(cause ?? '{}') as { approver?: unknown; reason?: unknown };
    return {
      approver: typeof d.approver === 'string' ? d.approver.slice(0, 80) : 'unknown',
      reason: typeof d.reason === 'string' ? d.reason.slice(0, 500) : undefined,
    };
  } catch {
    return { approver: 'unknown', reason: undefined };
  }
}

/**
 * A Scheduler reminder fired. T-24h reminds the compliance officer; T-4h and T-1h escalate
 * (timeline + mail to the escalation contact); at the due time an unsent notice is a miss.
 */
export async function remind(
  deps: RegulatoryDeps,
  input: { incidentId: string; key: string; stage: ReminderStageName; due: string },
) {
  const rec = await deps.store.getObligation(input.incidentId, input.key);
  const c = await deps.store.getCase(input.incidentId);
  if (!rec || !c || rec.status === 'sent' || rec.status === 'withdrawn')
    return { outcome: 'nothing-to-do' };
  if (rec.due !== input.due) return { outcome: 'stale' }; // rescheduled since
  const at = deps.clock.now().toISOString();
  const what = `${rec.regime} ${rec.report} to ${rec.recipientName ?? rec.recipient}`;
  const state = rec.status === 'awaiting-approval' ? 'awaiting approval' : rec.status;
  const mailer = need(deps.mailer, 'mail');
  if (input.stage === 'due') {
    await deps.store.updateObligation(
      c.incidentId,
      rec.key,
      { missed: true, updatedAt: at },
      { notStatus: ['sent'] },
    );
    await deps.store.appendTimeline(c.incidentId, {
      type: 'notification.missed',
      at,
      actor: ACTOR,
      summary: `${what} missed its due time ${rec.due} (${state})`,
      data: { key: rec.key, due: rec.due, status: rec.status },
    });
    for (const to of [c.contacts.escalation, c.contacts.complianceOfficer])
      await mailer.send({
        from: c.contacts.sender,
        to,
        subject: subjectOf(c, `MISSED: ${what} was due ${rec.due}`),
        text: `Incident ${c.incidentId}: ${what} was due ${rec.due} and is ${state}. Send it now with the reasons for the delay.`,
      });
    return { outcome: 'missed' };
  }
  const escalation = input.stage !== 'T-24h';
  await deps.store.appendTimeline(c.incidentId, {
    type: escalation ? 'escalation.raised' : 'obligation.reminded',
    at,
    actor: ACTOR,
    summary: `${input.stage}: ${what} due ${rec.due} is ${state}`,
    data: { key: rec.key, stage: input.stage, due: rec.due, status: rec.status },
  });
  const recipients = escalation
    ? [c.contacts.escalation, c.contacts.complianceOfficer]
    : [c.contacts.complianceOfficer];
  for (const to of recipients)
    await mailer.send({
      from: c.contacts.sender,
      to,
      subject: subjectOf(
        c,
        `${escalation ? 'ESCALATION' : 'Reminder'} ${input.stage}: ${what} due ${rec.due}`,
      ),
      text: `Incident ${c.incidentId}: ${what} is due ${rec.due} (${input.stage}) and is ${state}.${rec.status === 'awaiting-approval' ? ' Approve or reject it: see the approval mail for the command.' : ''}`,
    });
  return { outcome: escalation ? 'escalated' : 'reminded' };
}
