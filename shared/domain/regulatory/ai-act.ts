import { type EntityContext, hasKind } from './context.ts';
import { isDoraFinancialEntity } from './dora.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { addCalendarDays, DAY_MS, local, sameLocalTimeDaysLater, toUtc } from './time.ts';
import type { AiHarm, AiIncident } from './types.ts';

/**
 * EU AI Act (Reg. (EU) 2024/1689) Art 73 serious-incident reporting (reference §1, §2.3, §3.2):
 * 15 days in general, 2 days for a widespread infringement or Art 3(49)(b), 10 days for a death;
 * Art 73(9) limits Annex III providers under equivalent reporting (DORA) to Art 3(49)(c);
 * Art 26(5) deployers inform immediately. Operative for Annex III from 2 Dec 2027 and Annex I
 * from 2 Aug 2028 (Art 113 as amended by the Digital Omnibus on AI).
 */

const V = 'Reg. (EU) 2024/1689 as amended by the Digital Omnibus on AI; reference 2026-11-29';

export const AI_ACT_RULES = {
  provider: rule(
    'ai-act-73-provider',
    'EU-AI-ACT-73',
    'initial',
    'market-surveillance-authority',
    'AI Act (Reg. (EU) 2024/1689) Art 73(1)-(5)',
    V,
  ),
  deployer: rule(
    'ai-act-26-5-deployer',
    'EU-AI-ACT-73',
    'initial',
    'market-surveillance-authority',
    'AI Act (Reg. (EU) 2024/1689) Art 26(5), Art 73(1),(2)',
    V,
  ),
} as const;

const EX = {
  notHighRisk: exclusion('ai-act-not-high-risk', 'AI Act Arts 6, 73(1); Annex III point 1(a)'),
  notSerious: exclusion('ai-act-not-serious', 'AI Act Art 3(49), Art 73(1)'),
  notYet: exclusion(
    'ai-act-not-yet-applicable',
    'AI Act Art 113 as amended by the Digital Omnibus on AI',
  ),
  art73_9: exclusion(
    'ai-act-73-9',
    'AI Act Art 73(9); DORA Arts 19, 23; Commission draft Art 73 guidance paras 61-63',
  ),
} as const;

const ANNEX_III_FROM = '2027-12-02';
const ANNEX_I_FROM = '2028-08-02';

const HARM_POINT: Record<AiHarm, string> = {
  death: '(a)',
  'serious-health': '(a)',
  'critical-infrastructure': '(b)',
  'fundamental-rights': '(c)',
  'property-or-environment': '(d)',
};

function isAnnexIII(ai: AiIncident): boolean {
  return ai.annex?.startsWith('III') === true;
}

function widespread(ai: AiIncident, country: string): boolean {
  if (ai.widespread !== undefined) return ai.widespread;
  return ai.memberStates.filter((s) => s !== country).length >= 2;
}

interface Period {
  days: number;
  why: string;
  paragraph: string;
}

/** Shortest applicable period among the reportable harms. */
export function aiActPeriod(harms: AiHarm[], isWidespread: boolean): Period {
  if (isWidespread)
    return { days: 2, why: 'widespread infringement (Art 3(61))', paragraph: '73(3)' };
  if (harms.includes('critical-infrastructure')) {
    return {
      days: 2,
      why: 'serious and irreversible disruption of critical infrastructure (Art 3(49)(b))',
      paragraph: '73(3)',
    };
  }
  if (harms.includes('death')) return { days: 10, why: 'death of a person', paragraph: '73(4)' };
  return { days: 15, why: 'serious incident', paragraph: '73(2)' };
}

function applicableFrom(ai: AiIncident): string {
  return ai.annex?.startsWith('I') && !isAnnexIII(ai) ? ANNEX_I_FROM : ANNEX_III_FROM;
}

function msaName(ctx: EntityContext, state: string): string {
  const financial = isDoraFinancialEntity(ctx);
  if (financial && state === ctx.entity.country && ctx.entity.competentAuthority) {
    return `${ctx.entity.competentAuthority} (market surveillance authority per Art 74(6))`;
  }
  return financial
    ? `Market surveillance authority of ${state} (financial supervisor per Art 74(6))`
    : `Market surveillance authority of ${state}`;
}

function clockStart(ctx: EntityContext): number {
  const d = ctx.anchors.deployerAware;
  return d === undefined ? ctx.anchors.aware : Math.min(d, ctx.anchors.aware);
}

function exclusionFor(ctx: EntityContext, ai: AiIncident): RegimeOutcome | undefined {
  const no = (reason: string, ex: typeof EX.notSerious) =>
    outcome([], [notRequired('EU-AI-ACT-73', reason, ex)]);
  if (!ai.highRisk)
    return no(
      'The AI system is not high-risk: no Art 73 duty (1:1 biometric verification is excluded by Annex III 1(a)).',
      EX.notHighRisk,
    );
  if (ai.harms.length === 0) return no('No Art 3(49) harm: not a serious incident.', EX.notSerious);
  const from = applicableFrom(ai);
  const awareDay = local(clockStart(ctx), ctx.entity.timezone).toISODate() ?? '';
  if (awareDay < from)
    return no(`Art 73 reporting for this system is operative only from ${from}.`, EX.notYet);
  if (reportableHarms(ctx, ai).length === 0) {
    return no(
      'Annex III system of a provider under equivalent DORA reporting: only Art 3(49)(c) fundamental-rights incidents are reported (Art 73(9)).',
      EX.art73_9,
    );
  }
  return undefined;
}

/** Art 73(9): Annex III providers under equivalent Union reporting (DORA) report only 3(49)(c). */
function limitedBy73_9(ctx: EntityContext, ai: AiIncident): boolean {
  return ai.systemRole === 'provider' && isAnnexIII(ai) && isDoraFinancialEntity(ctx);
}

function reportableHarms(ctx: EntityContext, ai: AiIncident): AiHarm[] {
  return limitedBy73_9(ctx, ai) ? ai.harms.filter((h) => h === 'fundamental-rights') : ai.harms;
}

function considered(ctx: EntityContext): boolean {
  return ctx.primary || hasKind(ctx.entity, 'ai-provider', 'ai-deployer');
}

function providerObligations(ctx: EntityContext, ai: AiIncident) {
  const harms = reportableHarms(ctx, ai);
  const isWide =
    widespread(ai, ctx.entity.country) && (!limitedBy73_9(ctx, ai) || harms.length > 0);
  const period = aiActPeriod(harms, isWide);
  const start = clockStart(ctx);
  const zone = ctx.entity.timezone;
  const due = addCalendarDays(start, period.days, zone);
  const localVariant = sameLocalTimeDaysLater(start, period.days, zone);
  const points = [...new Set(harms.map((h) => HARM_POINT[h]))].join('');
  const dueRule = `Not later than ${period.days} days after awareness (${period.why}): earlier of the same local clock time ${period.days} days later in ${zone} (${toUtc(localVariant)}) and ${period.days} x 24 h (${toUtc(start + period.days * DAY_MS)}); immediately once a causal link is established.`;
  const basis = `AI Act (Reg. (EU) 2024/1689) Art 73(1),(${period.paragraph.slice(3, 4)}); Art 3(49)${points}${isWide ? ', Art 3(61)' : ''}`;
  return ai.memberStates.map((state) =>
    obligation(AI_ACT_RULES.provider, {
      due,
      clockStart: start,
      dueRule,
      basis,
      recipientName: msaName(ctx, state),
    }),
  );
}

function deployerObligations(ctx: EntityContext, ai: AiIncident) {
  const start = clockStart(ctx);
  return ai.memberStates.map((state) =>
    obligation(AI_ACT_RULES.deployer, {
      due: null,
      clockStart: start,
      dueRule:
        'Deployer: immediately inform the provider, then the importer/distributor and the market surveillance authority (no fixed period).',
      recipientName: msaName(ctx, state),
    }),
  );
}

/** AI Act Art 73 for one entity. */
export function evaluateAiAct(ctx: EntityContext): RegimeOutcome[] {
  const ai = ctx.facts.aiIncident;
  if (!ai || !considered(ctx)) return [];
  const excluded = exclusionFor(ctx, ai);
  if (excluded) return [excluded];
  const obligations =
    ai.systemRole === 'provider' ? providerObligations(ctx, ai) : deployerObligations(ctx, ai);
  return [outcome(obligations)];
}
