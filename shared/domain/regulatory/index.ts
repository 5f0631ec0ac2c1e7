import { evaluateAiAct } from './ai-act.ts';
import { buildAnchors, buildContext, type EntityContext } from './context.ts';
import { evaluateDora } from './dora.ts';
import { evaluateGdpr } from './gdpr.ts';
import { evaluateNis2 } from './nis2.ts';
import { evaluateNydfs } from './nydfs.ts';
import { evaluatePci } from './pci.ts';
import type { RegimeOutcome } from './rule.ts';
import { evaluateSec } from './sec.ts';
import type { IncidentFacts, NotRequired, Obligation, ObligationsResult } from './types.ts';
import { evaluateUsFederal } from './us-federal.ts';
import { evaluateUsStates } from './us-states.ts';

/**
 * The regulatory obligations engine: a pure function from IncidentFacts to ObligationsResult
 * (reference/regulatory.md; contracts/obligations-result.schema.json). Each regime family lives
 * in its own module; this index composes them per entity (facts.entity, then groupEntities).
 */

export { RULESET_VERSION } from './rule.ts';
export type * from './types.ts';

type Evaluator = (ctx: EntityContext) => RegimeOutcome[];

const EVALUATORS: readonly Evaluator[] = [
  evaluateGdpr,
  evaluateDora,
  evaluateNis2,
  evaluateAiAct,
  evaluatePci,
  evaluateSec,
  evaluateUsFederal,
  evaluateUsStates,
];

function evaluateEntity(ctx: EntityContext): RegimeOutcome {
  const obligations: Obligation[] = [];
  const excluded: NotRequired[] = [];
  const collect = (outcomes: RegimeOutcome[]) => {
    for (const o of outcomes) {
      obligations.push(...o.obligations);
      excluded.push(...o.notRequired);
    }
  };
  for (const evaluate of EVALUATORS) collect(evaluate(ctx));
  collect(evaluateNydfs(ctx, obligations));
  return { obligations, notRequired: excluded };
}

/** Drops notRequired entries repeated across entities, and any for a regime that has obligations. */
function dedupe(obligations: Obligation[], excluded: NotRequired[]): NotRequired[] {
  const owed = new Set(obligations.map((o) => o.regime));
  const seen = new Set<string>();
  return excluded.filter((n) => {
    const key = `${n.regime}\u0000${n.reason}`;
    if (owed.has(n.regime) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every obligation for the incident, and every regime considered but not triggered. */
export function computeObligations(facts: IncidentFacts): ObligationsResult {
  const anchors = buildAnchors(facts);
  const entities = [facts.entity, ...(facts.groupEntities ?? [])];
  const obligations: Obligation[] = [];
  const excluded: NotRequired[] = [];
  entities.forEach((entity, i) => {
    const r = evaluateEntity(buildContext(facts, entity, i === 0, anchors));
    obligations.push(...r.obligations);
    excluded.push(...r.notRequired);
  });
  return { obligations, notRequired: dedupe(obligations, excluded) };
}
