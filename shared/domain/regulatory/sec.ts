import { type EntityContext, hasKind } from './context.ts';
import { isNonWorkingDay } from './holidays.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { local } from './time.ts';

/**
 * SEC Form 8-K Item 1.05 (reference §1, §2.9, §3.5): 4 business days after the materiality
 * determination (GI B.1: a determination on a weekend or holiday starts on the next business day),
 * due 17:30 America/New_York (Reg S-T Rule 13(a)(2)); federal holidays as observed.
 */

export const SEC_ZONE = 'America/New_York';

export const SEC_RULES = {
  form8k: rule(
    'sec-8k-1.05',
    'SEC-8K-1.05',
    '8-K',
    'sec',
    'Form 8-K Item 1.05(a); General Instruction B.1; Reg S-T Rule 13(a)(2) (17 CFR 232.13)',
    'Rel. 33-11216; reference 2026-11-29',
  ),
} as const;

const EX = {
  notDetermined: exclusion(
    'sec-not-determined',
    'Form 8-K Item 1.05, Instruction 1; Item 8.01 (voluntary)',
  ),
} as const;

/** The 4th US federal business day after the determination's New York date, 17:30 New York. */
export function secDeadline(determinedMs: number): { due: number; days: string[] } {
  let day = local(determinedMs, SEC_ZONE).startOf('day');
  const days: string[] = [];
  while (days.length < 4) {
    day = day.plus({ days: 1 });
    if (!isNonWorkingDay(day, 'US')) days.push(day.toFormat('ccc d LLL'));
  }
  return { due: day.set({ hour: 17, minute: 30 }).toMillis(), days };
}

/** SEC 8-K for one entity. */
export function evaluateSec(ctx: EntityContext): RegimeOutcome[] {
  if (!hasKind(ctx.entity, 'sec-registrant')) return [];
  const at = ctx.anchors.materialityDetermined;
  if (at === undefined) {
    return [
      outcome(
        [],
        [
          notRequired(
            'SEC-8K-1.05',
            'No materiality determination recorded: no Item 1.05 filing is due yet (determine materiality without unreasonable delay; non-material incidents may be disclosed under Item 8.01).',
            EX.notDetermined,
          ),
        ],
      ),
    ];
  }
  const { due, days } = secDeadline(at);
  const startDay = local(at, SEC_ZONE);
  const dueRule = `4 business days after the materiality determination (${startDay.toFormat('ccc d LLL yyyy')} New York; weekends and federal holidays as observed excluded: ${days.join(', ')}), filed by 17:30 America/New_York.`;
  return [
    outcome([
      obligation(SEC_RULES.form8k, { due, clockStart: at, dueRule, recipientName: 'SEC (EDGAR)' }),
    ]),
  ];
}
