import { TEMPLATE_CATALOG } from '#domain/notify/catalog.ts';
import { chooseTemplate, regimesForSubjects, templateKey } from '#domain/notify/sending.ts';
import {
  approvalFor,
  type CustomerTemplate,
  contentHash,
  sesTemplateName,
  type TemplateApproval,
} from '#domain/notify/templates.ts';
import { normaliseEmail } from '#domain/scope/assess.ts';
import type { Clock } from '#ports/clock.ts';
import type { ContactVault } from '#ports/data-map.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import type {
  BulkEntry,
  BulkMailer,
  NoticeTemplateStore,
  NotifyStore,
  NotifyTotals,
  SendRecord,
} from '#ports/notify.ts';
import {
  IncidentNotFoundError,
  NonRetryableError,
  RetryableError,
  SesThrottledError,
  TemplateNotApprovedError,
} from '#runtime/errors.ts';

/**
 * Customer notifications: approvals bound to a template version and its content hash; sending
 * idempotent per recipient and template version (a conditional claim before SendBulkEmail, so a
 * retry or a rerun never sends twice); a suppression list; delivery and bounce events recorded.
 */

// ---------------------------------------------------------------- approvals

export async function approveTemplate(
  deps: { notify: NotifyStore; clock: Clock },
  input: { templateId: string; version: number; approver: string },
): Promise<TemplateApproval> {
  const t = TEMPLATE_CATALOG.find((x) => x.id === input.templateId);
  if (!t) throw new NonRetryableError(`unknown template ${input.templateId}`);
  if (t.version !== input.version)
    throw new NonRetryableError(
      `template ${t.id} is at version ${t.version}, not ${input.version}: review the current version`,
    );
  if (!/^[A-Za-z0-9._:@-]{2,100}$/.test(input.approver))
    throw new NonRetryableError('approver must be an identity (2-100 chars, no spaces)');
  const approval: TemplateApproval = {
    templateId: t.id,
    version: t.version,
    contentHash: contentHash(t),
    approver: input.approver,
    approvedAt: deps.clock.now().toISOString(),
  };
  await deps.notify.putApproval(approval);
  return approval;
}

async function approved(
  notify: NotifyStore,
  t: CustomerTemplate,
  cache: Map<string, TemplateApproval | undefined>,
): Promise<TemplateApproval | undefined> {
  const k = templateKey(t);
  if (!cache.has(k)) cache.set(k, approvalFor(t, await notify.listApprovals(t.id)));
  return cache.get(k);
}

// ---------------------------------------------------------------- prepare

export interface PrepareDeps {
  store: IncidentStore;
  notify: NotifyStore;
  templates: NoticeTemplateStore;
  clock: Clock;
}

export async function prepareNotification(deps: PrepareDeps, input: { incidentId: string }) {
  const { incidentId } = input;
  if (!(await deps.store.getIncident(incidentId)))
    throw new IncidentNotFoundError(`incident ${incidentId} not found`);
  const scope = await deps.notify.getScope(incidentId);
  if (!scope) throw new NonRetryableError(`incident ${incidentId} has no scope assessment yet`);
  const regimes = regimesForSubjects(scope.result.subjects);
  const needed = TEMPLATE_CATALOG.filter((t) => regimes.includes(t.regime));
  const cache = new Map<string, TemplateApproval | undefined>();
  const missing: string[] = [];
  for (const t of needed)
    if (!(await approved(deps.notify, t, cache))) missing.push(templateKey(t));
  if (missing.length > 0)
    throw new TemplateNotApprovedError(
      `no approval for the exact version of ${missing.join(', ')}`,
    );
  for (const t of needed) await deps.templates.ensure(t);
  const batches = scope.recipientFile ? Math.ceil(scope.recipients / 50) : 0;
  const prev = await deps.notify.getTotals(incidentId);
  await deps.notify.putTotals(
    incidentId,
    {
      ...(prev ?? emptyTotals()),
      recipients: scope.recipients,
      batches,
      finishedAt: null,
    },
    deps.clock.now().toISOString(),
  );
  return {
    incidentId,
    recipients: scope.recipients,
    batches,
    templates: needed.map(templateKey),
    recipientFile: scope.recipientFile ?? { bucket: '', key: '' },
    hasRecipients: scope.recipientFile !== null,
  };
}

const emptyTotals = (): NotifyTotals => ({
  recipients: 0,
  sent: 0,
  delivered: 0,
  bounced: 0,
  complained: 0,
  failed: 0,
  suppressed: 0,
  unconfirmed: 0,
});

// ---------------------------------------------------------------- send one batch

export interface SendDeps {
  notify: NotifyStore;
  vault: ContactVault;
  mailer: BulkMailer;
  emailHmac: (normalisedEmail: string) => string;
  clock: Clock;
  sender: string;
  /** Incident fill-ins of the templates (nature of breach, contact point, …). */
  noticeData: Record<string, string>;
}

export interface SendBatchOutput {
  batchNo: number;
  sent: number;
  failed: number;
  suppressed: number;
  /** Already handled by an earlier attempt or run. */
  skipped: number;
}

export async function sendBatch(
  deps: SendDeps,
  input: { incidentId: string; batch: { batchNo: number; recipients: string[] } },
): Promise<SendBatchOutput> {
  const { incidentId, batch } = input;
  const now = () => deps.clock.now().toISOString();
  const out: SendBatchOutput = {
    batchNo: batch.batchNo,
    sent: 0,
    failed: 0,
    suppressed: 0,
    skipped: 0,
  };
  const cache = new Map<string, TemplateApproval | undefined>();
  const groups = new Map<string, { template: CustomerTemplate; entries: BulkEntry[] }>();
  const record = (
    recipientId: string,
    t: Pick<CustomerTemplate, 'id' | 'version'>,
    status: SendRecord['status'],
    reason?: string,
  ): SendRecord => ({
    incidentId,
    recipientId,
    templateKey: templateKey(t),
    status,
    ...(reason ? { reason } : {}),
    updatedAt: now(),
  });

  // 1. Resolve contacts and templates; refuse the whole batch when a template is not approved.
  const plan: Array<{
    recipientId: string;
    email: string;
    firstname: string;
    template: CustomerTemplate;
  }> = [];
  const noContact: string[] = [];
  for (const recipientId of batch.recipients) {
    const contact = await deps.vault.get(recipientId);
    if (!contact) {
      noContact.push(recipientId);
      continue;
    }
    const template = chooseTemplate(contact);
    if (!(await approved(deps.notify, template, cache)))
      throw new TemplateNotApprovedError(
        `no approval for the exact version of ${templateKey(template)}`,
      );
    plan.push({ recipientId, email: contact.email, firstname: contact.firstname ?? '', template });
  }
  const fallback = TEMPLATE_CATALOG[0]!;
  for (const recipientId of noContact) {
    if (await deps.notify.claimSend(record(recipientId, fallback, 'failed', 'no-contact'))) {
      out.failed++;
      await deps.notify.bump(incidentId, { failed: 1 }, now());
    } else out.skipped++;
  }

  // 2. Suppression list, then a conditional claim per recipient + template version.
  for (const p of plan) {
    if (await deps.notify.isSuppressed(deps.emailHmac(normaliseEmail(p.email)))) {
      if (
        await deps.notify.claimSend(
          record(p.recipientId, p.template, 'suppressed', 'suppression-list'),
        )
      ) {
        out.suppressed++;
        await deps.notify.bump(incidentId, { suppressed: 1 }, now());
      } else out.skipped++;
      continue;
    }
    if (!(await deps.notify.claimSend(record(p.recipientId, p.template, 'sending')))) {
      out.skipped++;
      continue;
    }
    const k = templateKey(p.template);
    const g = groups.get(k) ?? { template: p.template, entries: [] };
    g.entries.push({ ref: p.recipientId, to: p.email, data: { firstname: p.firstname } });
    groups.set(k, g);
  }

  // 3. One SendBulkEmail per template (a batch holds at most 50 recipients).
  let throttled = false;
  const pending = [...groups.keys()];
  for (const [k, g] of groups) {
    // Releases the claims of this group and of every group not sent yet (nothing reached SES).
    const release = async () => {
      for (const key of pending)
        for (const e of groups.get(key)?.entries ?? [])
          await deps.notify.releaseClaim(incidentId, e.ref, key);
    };
    let results: Awaited<ReturnType<BulkMailer['sendBulk']>>;
    try {
      results = await deps.mailer.sendBulk({
        from: deps.sender,
        templateName: sesTemplateName(g.template),
        defaultData: { ...deps.noticeData, firstname: '' },
        entries: g.entries,
        tags: { incident: incidentId.replace(/[^A-Za-z0-9_-]/g, '_'), template: k },
      });
    } catch (err) {
      if (
        err instanceof SesThrottledError ||
        err instanceof RetryableError ||
        err instanceof NonRetryableError
      ) {
        // SES answered with an error: nothing was sent, so the claims are released for the retry.
        await release();
        throw err;
      }
      // No answer (network): SES may have sent. The claims stay `sending` (reported as
      // unconfirmed) and are never sent again: at most once.
      pending.shift();
      for (const key of pending)
        for (const e of groups.get(key)?.entries ?? [])
          await deps.notify.releaseClaim(incidentId, e.ref, key);
      throw new RetryableError(`SendBulkEmail: no answer (${(err as Error).name})`);
    }
    pending.shift();
    for (const r of results) {
      if (r.status === 'sent') {
        await deps.notify.transition(
          incidentId,
          r.ref,
          k,
          ['sending'],
          { status: 'sent', ...(r.messageId ? { messageId: r.messageId } : {}) },
          now(),
        );
        if (r.messageId)
          await deps.notify.indexMessage(r.messageId, {
            incidentId,
            recipientId: r.ref,
            templateKey: k,
          });
        out.sent++;
        await deps.notify.bump(incidentId, { sent: 1 }, now());
      } else if (r.status === 'throttled') {
        await deps.notify.releaseClaim(incidentId, r.ref, k);
        throttled = true;
      } else {
        await deps.notify.transition(
          incidentId,
          r.ref,
          k,
          ['sending'],
          { status: 'failed', reason: r.reason ?? 'FAILED' },
          now(),
        );
        out.failed++;
        await deps.notify.bump(incidentId, { failed: 1 }, now());
      }
    }
  }
  if (throttled)
    throw new SesThrottledError('SES throttled some entries of the batch; they are retried');
  await deps.notify.bump(incidentId, { batchesDone: 1 }, now());
  return out;
}

// ---------------------------------------------------------------- finish

export async function finishNotification(
  deps: { store: IncidentStore; notify: NotifyStore; clock: Clock },
  input: { incidentId: string },
) {
  const { incidentId } = input;
  const at = deps.clock.now().toISOString();
  const sends = await deps.notify.listSends(incidentId);
  const t = emptyTotals();
  for (const s of sends) {
    if (s.status === 'sending') t.unconfirmed++;
    else if (s.status === 'failed') t.failed++;
    else if (s.status === 'suppressed') t.suppressed++;
    else {
      t.sent++;
      if (s.status === 'delivered') t.delivered++;
      if (s.status === 'bounced') t.bounced++;
      if (s.status === 'complained') t.complained++;
    }
  }
  const prev = await deps.notify.getTotals(incidentId);
  t.recipients = prev?.recipients ?? sends.length;
  const totals = { ...t, batches: prev?.batches ?? 0, finishedAt: at };
  await deps.notify.putTotals(incidentId, totals, at);
  await deps.store.appendTimeline(incidentId, {
    type: 'customers.notified',
    at,
    actor: 'notify-customers',
    summary: `Customer notices: ${t.sent} sent, ${t.failed} failed, ${t.suppressed} suppressed, ${t.unconfirmed} unconfirmed of ${t.recipients} recipients`,
    data: totals,
  });
  return { incidentId, ...totals };
}

// ---------------------------------------------------------------- SES events

export async function recordEmailEvent(
  deps: { notify: NotifyStore; emailHmac: (e: string) => string; clock: Clock },
  ev: {
    eventType: string;
    messageId: string;
    bounceType?: string | undefined;
    addresses: string[];
  },
): Promise<{ recorded: boolean; status?: string }> {
  const at = deps.clock.now().toISOString();
  const key = await deps.notify.findMessage(ev.messageId);
  const permanent =
    (ev.eventType === 'Bounce' && ev.bounceType === 'Permanent') || ev.eventType === 'Complaint';
  if (permanent)
    for (const a of ev.addresses)
      await deps.notify.suppress(deps.emailHmac(normaliseEmail(a)), ev.eventType.toLowerCase(), at);
  if (!key) return { recorded: false };
  const to: Record<
    string,
    | { status: SendRecord['status']; from: SendRecord['status'][]; counter: keyof NotifyTotals }
    | undefined
  > = {
    Delivery: { status: 'delivered', from: ['sent'], counter: 'delivered' },
    Bounce: { status: 'bounced', from: ['sent', 'delivered'], counter: 'bounced' },
    Complaint: { status: 'complained', from: ['sent', 'delivered'], counter: 'complained' },
    Reject: { status: 'failed', from: ['sent'], counter: 'failed' },
    'Rendering Failure': { status: 'failed', from: ['sent'], counter: 'failed' },
  };
  const step = to[ev.eventType];
  if (!step) return { recorded: false };
  const ok = await deps.notify.transition(
    key.incidentId,
    key.recipientId,
    key.templateKey,
    step.from,
    {
      status: step.status,
      reason: ev.eventType === 'Bounce' ? `bounce:${ev.bounceType ?? '?'}` : ev.eventType,
    },
    at,
  );
  if (ok) await deps.notify.bump(key.incidentId, { [step.counter]: 1 }, at);
  return { recorded: ok, status: step.status };
}
