import { type EntityContext, hasKind, latestSubmission } from './context.ts';
import { classifyDora, DORA_CLASSIFICATION_CITATION } from './dora-classification.ts';
import { holidayName, isNonWorkingDay } from './holidays.ts';
import { EEA_STATES } from './jurisdictions.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { addCalendarMonths, addHours, describeLocal, HOUR_MS, local, toUtc } from './time.ts';
import type { NotRequired, Obligation, Regime } from './types.ts';

/**
 * DORA Art 19 (and Art 23 for non-ICT payment-related incidents), Art 19(3) client information,
 * timing per Del. Reg. (EU) 2025/301 Art 5 incl. the Art 5(4)/(5)/(6) weekend and bank-holiday
 * relief, classification per Del. Reg. (EU) 2024/1772 (reference §1, §2.4, §2.6, §3.3-§3.4).
 */

const V = '2025/301 Art 5; reference 2026-11-29';

export const DORA_RULES = {
  initial19: rule(
    'dora-19-initial',
    'DORA-19',
    'initial',
    'financial-supervisor',
    'DORA Art 19(1),(4)(a); Del. Reg. (EU) 2025/301 Art 5(1)(a),(2),(4),(5)',
    V,
  ),
  intermediate19: rule(
    'dora-19-intermediate',
    'DORA-19',
    'intermediate',
    'financial-supervisor',
    'DORA Art 19(4)(b); Del. Reg. (EU) 2025/301 Art 5(1)(b),(4),(5)',
    V,
  ),
  final19: rule(
    'dora-19-final',
    'DORA-19',
    'final',
    'financial-supervisor',
    'DORA Art 19(4)(c); Del. Reg. (EU) 2025/301 Art 5(1)(c),(4)',
    V,
  ),
  initial23: rule(
    'dora-23-initial',
    'DORA-23',
    'initial',
    'financial-supervisor',
    'DORA Arts 19(4)(a), 23; Del. Reg. (EU) 2025/301 Art 5(1)(a),(2),(4),(5)',
    V,
  ),
  intermediate23: rule(
    'dora-23-intermediate',
    'DORA-23',
    'intermediate',
    'financial-supervisor',
    'DORA Arts 19(4)(b), 23; Del. Reg. (EU) 2025/301 Art 5(1)(b),(4),(5)',
    V,
  ),
  final23: rule(
    'dora-23-final',
    'DORA-23',
    'final',
    'financial-supervisor',
    'DORA Arts 19(4)(c), 23; Del. Reg. (EU) 2025/301 Art 5(1)(c),(4)',
    V,
  ),
  clients: rule(
    'dora-19-clients',
    'DORA-19-CLIENTS',
    'communication',
    'clients',
    'DORA Art 19(3) first subparagraph',
  ),
} as const;

const EX = {
  notMajor: exclusion('dora-not-major', `DORA Arts 18, 19; ${DORA_CLASSIFICATION_CITATION}`),
  ictRelated: exclusion('dora-23-ict-related', 'DORA Arts 19, 23'),
  notPayment: exclusion('dora-23-not-payment', 'DORA Art 23'),
  notIct: exclusion('dora-19-not-ict', 'DORA Arts 3(8), 19, 23'),
  clientsNotImpacted: exclusion('dora-19-clients-not-impacted', 'DORA Art 19(3)'),
  notFinancialEntity: exclusion('dora-not-fe', 'DORA Art 2(1)'),
  psd2Repealed: exclusion(
    'psd2-96-superseded',
    'PSD2 Art 96; DORA Arts 23, 64; EBA/GL/2021/03 repealed 17 Jan 2025',
  ),
} as const;

const DORA_FE_KINDS = ['credit-institution', 'e-money-institution', 'payment-institution'] as const;

export function isDoraFinancialEntity(ctx: EntityContext): boolean {
  return hasKind(ctx.entity, ...DORA_FE_KINDS) && EEA_STATES.has(ctx.entity.country);
}

/** DORA is considered when classification inputs or a classification time are given. */
export function doraConsidered(ctx: EntityContext): boolean {
  return ctx.facts.dora !== undefined || ctx.facts.timeline.classifiedMajorAt !== undefined;
}

type Stage = 'initial' | 'intermediate' | 'final';

/** Art 5(5): no relief for initial/intermediate reports of CIs and NIS2 entities; 5(6) disapplication. */
function reliefEligible(ctx: EntityContext, stage: Stage): boolean {
  if (ctx.entity.doraReliefDisapplied === true) return false;
  if (stage === 'final') return true;
  return !hasKind(ctx.entity, 'credit-institution', 'nis2-essential', 'nis2-important');
}

interface Relieved {
  due: number;
  note: string;
}

/** Art 5(4): a deadline on a weekend or bank holiday moves to 12:00 local on the next working day. */
export function applyDoraRelief(dueMs: number, country: string, zone: string): Relieved {
  const at = local(dueMs, zone);
  if (!isNonWorkingDay(at, country)) {
    return { due: dueMs, note: `${describeLocal(dueMs, zone)} is a working day` };
  }
  const why =
    at.weekday >= 6
      ? 'a weekend day'
      : `a bank holiday (${holidayName(at, country) ?? 'public holiday'})`;
  let day = at.startOf('day').plus({ days: 1 });
  while (isNonWorkingDay(day, country)) day = day.plus({ days: 1 });
  const moved = day.set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toMillis();
  return {
    due: moved,
    note: `${describeLocal(dueMs, zone)} is ${why}; relief to 12:00 local time on the next working day (${describeLocal(moved, zone)}) (Art 5(4))`,
  };
}

function withRelief(ctx: EntityContext, dueMs: number, stage: Stage): Relieved {
  const { country, timezone } = ctx.entity;
  if (reliefEligible(ctx, stage)) return applyDoraRelief(dueMs, country, timezone);
  const why =
    ctx.entity.doraReliefDisapplied === true
      ? 'disapplied by the competent authority (Art 5(6))'
      : 'not available to this entity for this report (Art 5(5))';
  return { due: dueMs, note: `weekend/holiday relief ${why}` };
}

interface Initial {
  due: number;
  start: number;
  limb: string;
}

/** 2025/301 Art 5(1)(a),(2): earlier of 4 h after classification and 24 h after awareness. */
export function initialDeadline(aware: number, classified: number): Initial {
  if (classified - aware > 24 * HOUR_MS) {
    return {
      due: addHours(classified, 4),
      start: classified,
      limb: '4 h after classification (classified more than 24 h after awareness, Art 5(2))',
    };
  }
  const byClassification = addHours(classified, 4);
  const byAwareness = addHours(aware, 24);
  return byClassification <= byAwareness
    ? {
        due: byClassification,
        start: classified,
        limb: 'earlier of 4 h after classification and 24 h after awareness: 4 h after classification',
      }
    : {
        due: byAwareness,
        start: aware,
        limb: 'earlier of 4 h after classification and 24 h after awareness: 24 h after awareness',
      };
}

interface Variant {
  regime: 'DORA-19' | 'DORA-23';
  initial: typeof DORA_RULES.initial19;
  intermediate: typeof DORA_RULES.initial19;
  final: typeof DORA_RULES.initial19;
}

const V19: Variant = {
  regime: 'DORA-19',
  initial: DORA_RULES.initial19,
  intermediate: DORA_RULES.intermediate19,
  final: DORA_RULES.final19,
};
const V23: Variant = {
  regime: 'DORA-23',
  initial: DORA_RULES.initial23,
  intermediate: DORA_RULES.intermediate23,
  final: DORA_RULES.final23,
};

function reports(ctx: EntityContext, v: Variant, classified: number): Obligation[] {
  const name = ctx.entity.competentAuthority;
  const init = initialDeadline(ctx.anchors.aware, classified);
  const r0 = withRelief(ctx, init.due, 'initial');
  const out = [
    obligation(v.initial, {
      due: r0.due,
      clockStart: init.start,
      recipientName: name,
      dueRule: `Initial notification: ${init.limb} = ${toUtc(init.due)}; ${r0.note}.`,
    }),
  ];
  const initialAt = latestSubmission(ctx, v.regime, 'initial');
  if (initialAt !== undefined) {
    const computed = addHours(initialAt, 72);
    const r1 = withRelief(ctx, computed, 'intermediate');
    out.push(
      obligation(v.intermediate, {
        due: r1.due,
        clockStart: initialAt,
        recipientName: name,
        dueRule: `72 h after the initial notification was submitted = ${toUtc(computed)}; ${r1.note}.`,
      }),
    );
  }
  const intermediateAt = latestSubmission(ctx, v.regime, 'intermediate');
  if (intermediateAt !== undefined) {
    const computed = addCalendarMonths(intermediateAt, 1, ctx.entity.timezone);
    const r2 = withRelief(ctx, computed, 'final');
    out.push(
      obligation(v.final, {
        due: r2.due,
        clockStart: intermediateAt,
        recipientName: name,
        dueRule: `One month after the latest intermediate report, same local clock time (${describeLocal(computed, ctx.entity.timezone)}); ${r2.note}.`,
      }),
    );
  }
  return out;
}

function clients(ctx: EntityContext): Obligation | NotRequired {
  if (ctx.facts.dora?.clientsFinancialInterestsImpacted !== true) {
    return notRequired(
      'DORA-19-CLIENTS',
      "The major incident does not impact clients' financial interests.",
      EX.clientsNotImpacted,
    );
  }
  return obligation(DORA_RULES.clients, {
    due: null,
    clockStart: ctx.anchors.aware,
    dueRule: 'Without undue delay as soon as the entity becomes aware (no fixed period).',
  });
}

function psd2(ctx: EntityContext): NotRequired[] {
  if (ctx.facts.dora?.paymentRelated !== true) return [];
  return [
    notRequired(
      'PSD2-96',
      'Payment-related incidents of credit, payment and e-money institutions are reported under DORA since 17 Jan 2025 (EBA/GL/2021/03 repealed).',
      EX.psd2Repealed,
    ),
  ];
}

function notMajor(ctx: EntityContext, why: string): RegimeOutcome {
  const reason = `Not a major incident: ${why}`;
  return outcome(
    [],
    [
      notRequired('DORA-19', reason, EX.notMajor),
      notRequired('DORA-23', reason, EX.notMajor),
      notRequired('DORA-19-CLIENTS', reason, EX.notMajor),
      ...psd2(ctx),
    ],
  );
}

function chooseVariant(ctx: EntityContext): {
  variant: Variant | undefined;
  excluded: NotRequired[];
} {
  const ict = ctx.facts.dora?.ictRelated !== false;
  const payment = ctx.facts.dora?.paymentRelated === true;
  if (ict) {
    return {
      variant: V19,
      excluded: [
        notRequired(
          'DORA-23',
          'ICT-related incident: reported under Art 19, not as a non-ICT payment-related incident.',
          EX.ictRelated,
        ),
      ],
    };
  }
  const no19 = notRequired('DORA-19', 'Not an ICT-related incident.', EX.notIct);
  if (payment) return { variant: V23, excluded: [no19] };
  return {
    variant: undefined,
    excluded: [
      no19,
      notRequired('DORA-23', 'Neither ICT-related nor payment-related.', EX.notPayment),
      notRequired('DORA-19-CLIENTS', 'Neither ICT-related nor payment-related.', EX.notPayment),
    ],
  };
}

/** DORA for one entity. */
export function evaluateDora(ctx: EntityContext): RegimeOutcome[] {
  if (!doraConsidered(ctx)) return [];
  if (!isDoraFinancialEntity(ctx)) {
    if (!ctx.primary) return [];
    const reason = 'Not an EU financial entity within DORA Art 2(1).';
    return [
      outcome(
        [],
        (['DORA-19', 'DORA-23'] as Regime[]).map((r) =>
          notRequired(r, reason, EX.notFinancialEntity),
        ),
      ),
    ];
  }
  let classified = ctx.anchors.classifiedMajor;
  if (classified === undefined) {
    const c = classifyDora(ctx.facts.dora ?? {});
    if (!c.major) return [notMajor(ctx, c.explanation)];
    classified = ctx.anchors.aware;
  }
  const { variant, excluded } = chooseVariant(ctx);
  if (!variant) return [outcome([], [...excluded, ...psd2(ctx)])];
  const c = clients(ctx);
  const obligations = reports(ctx, variant, classified);
  const extra: NotRequired[] = [...excluded, ...psd2(ctx)];
  if ('reason' in c) extra.push(c);
  else obligations.push(c);
  return [outcome(obligations, extra)];
}
