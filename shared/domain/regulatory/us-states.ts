import { countWhere, type EntityContext, latestSubmission } from './context.ts';
import { US_STATE_NAMES } from './jurisdictions.ts';
import {
  exclusion,
  notRequired,
  obligation,
  outcome,
  type RegimeOutcome,
  type Rule,
  rule,
} from './rule.ts';
import { addCalendarDays } from './time.ts';
import type { Obligation, Regime } from './types.ts';

/**
 * US state breach laws CA, CO, FL, TX, WA (reference §1, §2.12): calendar-day periods per §3.2,
 * AG thresholds counted exactly (>= vs >), encryption safe harbour unless the key is compromised.
 */

type Anchor = 'discovered' | 'determined';

interface StateLaw {
  state: 'CA' | 'CO' | 'FL' | 'TX' | 'WA';
  regime: Regime;
  anchor: Anchor;
  anchorWords: string;
  residentsDays: number;
  residents: Rule;
  regulator: Rule;
  regulatorName: string;
  /** Regulator notice needed for this many residents. */
  needsRegulator: (count: number) => boolean;
  thresholdWords: string;
  /** CA: the AG sample notice runs from the residents' notice; others from the anchor. */
  regulatorDays: number;
  regulatorAfterResidents: boolean;
}

const V = 'reference 2026-11-29';

function law(
  state: StateLaw['state'],
  citation: string,
  rest: Omit<StateLaw, 'state' | 'regime' | 'residents' | 'regulator'>,
  version = V,
): StateLaw {
  const regime = `US-STATE-${state}` as Regime;
  return {
    state,
    regime,
    residents: rule(
      `us-state-${state.toLowerCase()}-residents`,
      regime,
      'notification',
      'affected-residents',
      citation,
      version,
    ),
    regulator: rule(
      `us-state-${state.toLowerCase()}-ag`,
      regime,
      'notification',
      'state-attorney-general',
      citation,
      version,
    ),
    ...rest,
  };
}

export const STATE_LAWS: readonly StateLaw[] = [
  law(
    'CA',
    'Cal. Civ. Code § 1798.82(a),(f) (SB 446, eff. 1 Jan 2026)',
    {
      anchor: 'discovered',
      anchorWords: 'discovery or notification',
      residentsDays: 30,
      regulatorName: 'California Attorney General',
      needsRegulator: (n) => n > 500,
      thresholdWords: '> 500',
      regulatorDays: 15,
      regulatorAfterResidents: true,
    },
    'SB 446 (eff. 2026-01-01); reference 2026-11-29',
  ),
  law('CO', 'C.R.S. § 6-1-716(2),(2)(f)', {
    anchor: 'determined',
    anchorWords: 'determination that a security breach occurred',
    residentsDays: 30,
    regulatorName: 'Colorado Attorney General',
    needsRegulator: (n) => n >= 500,
    thresholdWords: '>= 500',
    regulatorDays: 30,
    regulatorAfterResidents: false,
  }),
  law('FL', 'Fla. Stat. § 501.171(3),(4)', {
    anchor: 'discovered',
    anchorWords: 'determination of a breach or reason to believe one occurred',
    residentsDays: 30,
    regulatorName: 'Florida Department of Legal Affairs',
    needsRegulator: (n) => n >= 500,
    thresholdWords: '>= 500',
    regulatorDays: 30,
    regulatorAfterResidents: false,
  }),
  law(
    'TX',
    'Tex. Bus. & Com. Code § 521.053(b),(i) (SB 768, eff. 1 Sep 2023)',
    {
      anchor: 'determined',
      anchorWords: 'determination of the breach',
      residentsDays: 60,
      regulatorName: 'Texas Attorney General (online form)',
      needsRegulator: (n) => n >= 250,
      thresholdWords: '>= 250',
      regulatorDays: 30,
      regulatorAfterResidents: false,
    },
    'SB 768 (eff. 2023-09-01); reference 2026-11-29',
  ),
  law('WA', 'RCW 19.255.010(1),(7),(8)', {
    anchor: 'discovered',
    anchorWords: 'discovery of the breach',
    residentsDays: 30,
    regulatorName: 'Washington Attorney General',
    needsRegulator: (n) => n > 500,
    thresholdWords: '> 500',
    regulatorDays: 30,
    regulatorAfterResidents: false,
  }),
];

const EX = {
  encrypted: exclusion(
    'us-state-encrypted',
    'State encryption safe harbours (Cal. Civ. Code 1798.82(a); C.R.S. 6-1-716(1); Fla. Stat. 501.171(1)(g); Tex. Bus. & Com. Code 521.053(a); RCW 19.255.010(1))',
  ),
  notPersonal: exclusion('us-state-not-personal', 'State definitions of personal information'),
} as const;

function residentsOf(ctx: EntityContext, state: string): number {
  return countWhere(ctx.subjects, (s) => s.country === 'US' && s.region === state);
}

function anchorMs(ctx: EntityContext, anchor: Anchor): number {
  return anchor === 'discovered' ? ctx.anchors.discovered : ctx.anchors.determined;
}

function days(n: number): string {
  return `${n} calendar days (earlier of the same local clock time ${n} days later and ${n} x 24 h)`;
}

function regulatorObligation(
  ctx: EntityContext,
  l: StateLaw,
  count: number,
  start: number,
): Obligation | undefined {
  if (!l.regulatorAfterResidents) {
    return obligation(l.regulator, {
      due: addCalendarDays(start, l.regulatorDays, ctx.entity.timezone),
      clockStart: start,
      recipientName: l.regulatorName,
      dueRule: `Within ${days(l.regulatorDays)} of ${l.anchorWords}; ${count} residents ${l.thresholdWords}.`,
    });
  }
  const notifiedAt = latestSubmission(ctx, l.regime, 'notification', 'affected-residents');
  if (notifiedAt === undefined) return undefined;
  return obligation(l.regulator, {
    due: addCalendarDays(notifiedAt, l.regulatorDays, ctx.entity.timezone),
    clockStart: notifiedAt,
    recipientName: l.regulatorName,
    dueRule: `Sample notice within ${days(l.regulatorDays)} after notifying residents; ${count} residents ${l.thresholdWords}.`,
  });
}

function evaluateState(ctx: EntityContext, l: StateLaw, count: number): RegimeOutcome {
  if (!ctx.personalData.personal)
    return outcome([], [notRequired(l.regime, ctx.personalData.reason, EX.notPersonal)]);
  if (ctx.encryptedSafeHarbour) {
    return outcome(
      [],
      [
        notRequired(
          l.regime,
          'Affected data were encrypted and the key was not acquired (encryption safe harbour).',
          EX.encrypted,
        ),
      ],
    );
  }
  const start = anchorMs(ctx, l.anchor);
  const needs = l.needsRegulator(count);
  const agNote = needs
    ? ''
    : ` ${US_STATE_NAMES[l.state]} regulator notice not required (${count} residents, threshold ${l.thresholdWords}).`;
  const obligations = [
    obligation(l.residents, {
      due: addCalendarDays(start, l.residentsDays, ctx.entity.timezone),
      clockStart: start,
      recipientName: `Affected ${US_STATE_NAMES[l.state]} residents (${count})`,
      dueRule: `Within ${days(l.residentsDays)} of ${l.anchorWords}.${agNote}`,
    }),
  ];
  const reg = needs ? regulatorObligation(ctx, l, count, start) : undefined;
  if (reg) obligations.push(reg);
  return outcome(obligations);
}

/** Whether a state regulator notice is (or will be) required, e.g. CA's pending AG sample notice. */
export function stateRegulatorNoticeRequired(ctx: EntityContext): boolean {
  if (!ctx.personalData.personal || ctx.encryptedSafeHarbour) return false;
  return STATE_LAWS.some((l) => l.needsRegulator(residentsOf(ctx, l.state)));
}

/** US state laws for one entity; silent for states without affected residents. */
export function evaluateUsStates(ctx: EntityContext): RegimeOutcome[] {
  const out: RegimeOutcome[] = [];
  for (const l of STATE_LAWS) {
    const count = residentsOf(ctx, l.state);
    if (count > 0) out.push(evaluateState(ctx, l, count));
  }
  return out;
}
