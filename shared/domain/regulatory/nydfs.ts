import { type EntityContext, hasKind } from './context.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { addCalendarDays, addHours } from './time.ts';
import type { Obligation, Recipient } from './types.ts';
import { stateRegulatorNoticeRequired } from './us-states.ts';

/**
 * 23 NYCRR 500.17 (reference §1, §2.8): cybersecurity incident (500.1(g)) within 72 h of the
 * determination; extortion payment notice within 24 h and written description within 30 days.
 */

const V = '23 NYCRR 500 Second Amendment (2023-11-01); reference 2026-11-29';

export const NYDFS_RULES = {
  notification: rule(
    'nydfs-500.17a',
    'NYDFS-500.17',
    'notification',
    'nydfs',
    '23 NYCRR 500.17(a)(1); 500.1(g)',
    V,
  ),
  extortionNotice: rule(
    'nydfs-500.17c1',
    'NYDFS-500.17',
    'extortion-payment-notice',
    'nydfs',
    '23 NYCRR 500.17(c)(1)',
    V,
  ),
  extortionDescription: rule(
    'nydfs-500.17c2',
    'NYDFS-500.17',
    'extortion-payment-description',
    'nydfs',
    '23 NYCRR 500.17(c)(2)',
    V,
  ),
} as const;

const EX = {
  noIncident: exclusion('nydfs-no-cybersecurity-incident', '23 NYCRR 500.1(g), 500.17(a)'),
} as const;

/** Notices to a government body, SRO or supervisory body (500.1(g)(1)). */
const GOVERNMENT: ReadonlySet<Recipient> = new Set<Recipient>([
  'supervisory-authority',
  'financial-supervisor',
  'csirt',
  'market-surveillance-authority',
  'sec',
  'ftc',
  'federal-banking-regulator',
  'state-attorney-general',
  'state-regulator',
]);

const NAME = 'NYDFS Superintendent (DFS Portal)';

/** The 500.1(g) prong that makes the event a cybersecurity incident, if any. */
function incidentProng(ctx: EntityContext, others: Obligation[]): string | undefined {
  if (others.some((o) => GOVERNMENT.has(o.recipient)) || stateRegulatorNoticeRequired(ctx)) {
    return '500.1(g)(1): notice to a government body required';
  }
  if (ctx.facts.operationalImpact?.materialDisruption === true)
    return '500.1(g)(2): material harm to normal operations reasonably likely';
  if (ctx.facts.operationalImpact?.ransomwareDeployed === true)
    return '500.1(g)(3): ransomware deployed';
  return undefined;
}

function extortion(ctx: EntityContext): Obligation[] {
  const paid = ctx.anchors.ransomPaid;
  if (paid === undefined) return [];
  return [
    obligation(NYDFS_RULES.extortionNotice, {
      due: addHours(paid, 24),
      clockStart: paid,
      recipientName: NAME,
      dueRule: 'Notice of the extortion payment within 24 h of the payment (elapsed hours).',
    }),
    obligation(NYDFS_RULES.extortionDescription, {
      due: addCalendarDays(paid, 30, ctx.entity.timezone),
      clockStart: paid,
      recipientName: NAME,
      dueRule:
        'Written description (reasons, alternatives, diligence incl. sanctions) within 30 days of the payment (earlier of the same local clock time 30 days later and 30 x 24 h).',
    }),
  ];
}

/** NYDFS for one entity; `others` are the entity's obligations under the other regimes. */
export function evaluateNydfs(ctx: EntityContext, others: Obligation[]): RegimeOutcome[] {
  if (!hasKind(ctx.entity, 'ny-licensed-money-transmitter')) return [];
  const prong = incidentProng(ctx, others);
  const obligations = extortion(ctx);
  if (!prong) {
    const reason =
      'Not a cybersecurity incident under 500.1(g): no government notice required, no material harm to operations, no ransomware deployed.';
    return [
      outcome(
        obligations,
        obligations.length > 0 ? [] : [notRequired('NYDFS-500.17', reason, EX.noIncident)],
      ),
    ];
  }
  const start = ctx.anchors.determined;
  obligations.unshift(
    obligation(NYDFS_RULES.notification, {
      due: addHours(start, 72),
      clockStart: start,
      recipientName: NAME,
      dueRule: `As promptly as possible and within 72 h of determining a cybersecurity incident (${prong}; elapsed hours, no weekend relief).`,
    }),
  );
  return [outcome(obligations)];
}
