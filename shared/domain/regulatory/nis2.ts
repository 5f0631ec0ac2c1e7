import { type EntityContext, earliestSubmission, hasKind } from './context.ts';
import { doraConsidered, isDoraFinancialEntity } from './dora.ts';
import { EU_STATES } from './jurisdictions.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { addCalendarMonths, addHours, describeLocal } from './time.ts';

/** NIS2 Art 23 (reference §1, §2.5): early warning 24 h, notification 72 h, final 1 month. */

export const NIS2_RULES = {
  earlyWarning: rule(
    'nis2-early-warning',
    'NIS2-23',
    'early-warning',
    'csirt',
    'NIS2 (Dir. (EU) 2022/2555) Art 23(4)(a)',
  ),
  notification: rule(
    'nis2-notification',
    'NIS2-23',
    'notification',
    'csirt',
    'NIS2 (Dir. (EU) 2022/2555) Art 23(4)(b)',
  ),
  final: rule('nis2-final', 'NIS2-23', 'final', 'csirt', 'NIS2 (Dir. (EU) 2022/2555) Art 23(4)(d)'),
  recipients: rule(
    'nis2-recipients',
    'NIS2-23-RECIPIENTS',
    'communication',
    'service-recipients',
    'NIS2 (Dir. (EU) 2022/2555) Art 23(1),(2)',
  ),
} as const;

const EX = {
  notSector: exclusion('nis2-not-sector', 'NIS2 Annex I; DORA Art 1(2)'),
  displaced: exclusion('nis2-displaced-by-dora', 'NIS2 Art 4; DORA Art 1(2)'),
  notEntity: exclusion('nis2-not-entity', 'NIS2 Arts 2, 3'),
  notSignificant: exclusion('nis2-not-significant', 'NIS2 Art 23(3)'),
  recipientsUnaffected: exclusion('nis2-recipients-unaffected', 'NIS2 Art 23(1)'),
} as const;

function both(reason: string, ex: typeof EX.notSector): RegimeOutcome {
  return outcome(
    [],
    [notRequired('NIS2-23', reason, ex), notRequired('NIS2-23-RECIPIENTS', reason, ex)],
  );
}

function isNis2Entity(ctx: EntityContext): boolean {
  return hasKind(ctx.entity, 'nis2-essential', 'nis2-important');
}

function considered(ctx: EntityContext): boolean {
  if (isNis2Entity(ctx)) return true;
  if (!ctx.primary) return false;
  return ctx.facts.nis2 !== undefined || (isDoraFinancialEntity(ctx) && doraConsidered(ctx));
}

function exclusionFor(ctx: EntityContext): RegimeOutcome | undefined {
  if (isDoraFinancialEntity(ctx)) {
    if (hasKind(ctx.entity, 'credit-institution')) {
      return both(
        'Credit institution: DORA is the sector-specific act (lex specialis) and displaces NIS2 Art 23 reporting.',
        EX.displaced,
      );
    }
    const kind = hasKind(ctx.entity, 'e-money-institution')
      ? 'E-money institutions'
      : 'Payment institutions';
    return both(`${kind} are not NIS2 Annex I/II entities; DORA applies.`, EX.notSector);
  }
  if (!isNis2Entity(ctx)) return both('Not an NIS2 essential or important entity.', EX.notEntity);
  if (!EU_STATES.has(ctx.entity.country))
    return both('Not established in an EU Member State.', EX.notEntity);
  if (ctx.facts.nis2?.significant === false)
    return both('Not a significant incident (Art 23(3)).', EX.notSignificant);
  return undefined;
}

/** NIS2 Art 23 for one entity. */
export function evaluateNis2(ctx: EntityContext): RegimeOutcome[] {
  if (!considered(ctx)) return [];
  const excluded = exclusionFor(ctx);
  if (excluded) return [excluded];
  const aware = ctx.anchors.aware;
  const name = ctx.entity.competentAuthority;
  const obligations = [
    obligation(NIS2_RULES.earlyWarning, {
      due: addHours(aware, 24),
      clockStart: aware,
      recipientName: name,
      dueRule:
        'Early warning without undue delay and within 24 h of becoming aware (elapsed hours).',
    }),
    obligation(NIS2_RULES.notification, {
      due: addHours(aware, 72),
      clockStart: aware,
      recipientName: name,
      dueRule:
        'Incident notification without undue delay and within 72 h of becoming aware (elapsed hours).',
    }),
  ];
  const notifiedAt = earliestSubmission(ctx, 'NIS2-23', 'notification');
  if (notifiedAt !== undefined) {
    const due = addCalendarMonths(notifiedAt, 1, ctx.entity.timezone);
    obligations.push(
      obligation(NIS2_RULES.final, {
        due,
        clockStart: notifiedAt,
        recipientName: name,
        dueRule: `Final report not later than one month after the incident notification, same local clock time (${describeLocal(due, ctx.entity.timezone)}).`,
      }),
    );
  }
  const excludedRecipients = [];
  if (ctx.facts.nis2?.serviceRecipientsAffected === true) {
    obligations.push(
      obligation(NIS2_RULES.recipients, {
        due: null,
        clockStart: aware,
        dueRule: 'Without undue delay (no fixed period).',
      }),
    );
  } else {
    excludedRecipients.push(
      notRequired(
        'NIS2-23-RECIPIENTS',
        'Provision of services to recipients not likely to be adversely affected.',
        EX.recipientsUnaffected,
      ),
    );
  }
  return [outcome(obligations, excludedRecipients)];
}
