import fc from 'fast-check';
import {
  AI_HARMS,
  CARD_BRANDS,
  DATA_CATEGORIES,
  ENTITY_KINDS,
  type Entity,
  type IncidentFacts,
  type PriorSubmission,
  REGIME_PAIRS,
  REGIMES,
} from '#domain/regulatory/types.ts';

/** fast-check generators of varied IncidentFacts (also used by the benchmark). */

const PLACES = [
  { country: 'DE', timezone: 'Europe/Berlin' },
  { country: 'FR', timezone: 'Europe/Paris' },
  { country: 'IE', timezone: 'Europe/Dublin' },
  { country: 'PL', timezone: 'Europe/Warsaw' },
  { country: 'GB', timezone: 'Europe/London' },
  { country: 'US', timezone: 'America/New_York' },
  { country: 'US', timezone: 'America/Los_Angeles' },
] as const;

const MIN = Date.parse('2026-01-01T00:00:00Z');
const MAX = Date.parse('2029-12-31T00:00:00Z');
const HOUR = 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export const entityArb = (name: string): fc.Arbitrary<Entity> =>
  fc
    .record({
      place: fc.constantFrom(...PLACES),
      kinds: fc.uniqueArray(fc.constantFrom(...ENTITY_KINDS), { minLength: 1, maxLength: 4 }),
      relief: fc.boolean(),
    })
    .map(({ place, kinds, relief }) => ({
      name,
      kinds,
      ...place,
      competentAuthority: 'Authority',
      doraReliefDisapplied: relief,
    }));

const subjectArb = fc.oneof(
  fc.record({
    country: fc.constant('US'),
    region: fc.constantFrom('CA', 'CO', 'FL', 'TX', 'WA', 'NY'),
    count: fc.integer({ min: 0, max: 2000 }),
  }),
  fc.record({
    country: fc.constantFrom('DE', 'FR', 'IE', 'GB', 'PL'),
    count: fc.integer({ min: 0, max: 200_000 }),
  }),
);

const offset = (min: number, max: number) =>
  fc.option(fc.integer({ min: min * HOUR, max: max * HOUR }), { nil: undefined });

const submissionArb: fc.Arbitrary<{
  regime: PriorSubmission['regime'];
  report: PriorSubmission['report'];
  offsetMs: number;
}> = fc.constantFrom(...REGIMES).chain((regime) =>
  fc.record({
    regime: fc.constant(regime),
    report: fc.constantFrom(...REGIME_PAIRS[regime].reports),
    offsetMs: fc.integer({ min: 0, max: 400 * HOUR }),
  }),
);

export interface FactsOptions {
  /** Without classifiedMajorAt and with DORA relief disapplied (monotonicity properties). */
  monotoneOnly?: boolean;
}

export function factsArb(options: FactsOptions = {}): fc.Arbitrary<IncidentFacts> {
  return fc
    .record({
      entity: entityArb('Primary'),
      group: fc.option(entityArb('Group member'), { nil: undefined }),
      aware: fc.integer({ min: MIN, max: MAX }),
      pd: offset(0, 48),
      deployer: offset(-72, 24),
      classified: offset(-4, 60),
      discovered: offset(-48, 48),
      determined: offset(0, 96),
      materiality: offset(0, 240),
      ransom: offset(0, 240),
      subjects: fc.array(subjectArb, { maxLength: 5 }),
      toGroup: fc.boolean(),
      dataCategories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { maxLength: 4 }),
      risk: fc.option(
        fc.constantFrom('none', 'risk', 'high') as fc.Arbitrary<'none' | 'risk' | 'high'>,
        { nil: undefined },
      ),
      encrypted: fc.option(fc.record({ encrypted: fc.boolean(), keyCompromised: fc.boolean() }), {
        nil: undefined,
      }),
      synthetic: fc.option(
        fc.record({
          nearCopiesPct: fc.constantFrom(0, 0.5, 3),
          reidentificationSucceeded: fc.boolean(),
        }),
        { nil: undefined },
      ),
      dora: fc.option(
        fc.record({
          criticalServicesAffected: fc.boolean(),
          maliciousUnauthorisedAccess: fc.boolean(),
          clientsAffected: fc.integer({ min: 0, max: 300_000 }),
          serviceDowntimeHours: fc.double({ min: 0, max: 10, noNaN: true }),
          memberStatesAffected: fc.integer({ min: 0, max: 4 }),
          economicImpactEur: fc.integer({ min: 0, max: 300_000 }),
          ictRelated: fc.boolean(),
          paymentRelated: fc.boolean(),
          clientsFinancialInterestsImpacted: fc.boolean(),
        }),
        { nil: undefined },
      ),
      nis2: fc.option(
        fc.record({ significant: fc.boolean(), serviceRecipientsAffected: fc.boolean() }),
        { nil: undefined },
      ),
      ai: fc.option(
        fc.record({
          systemRole: fc.constantFrom('provider', 'deployer') as fc.Arbitrary<
            'provider' | 'deployer'
          >,
          highRisk: fc.boolean(),
          annex: fc.constantFrom('III-5(b)', 'I', 'III-1(a)'),
          harms: fc.uniqueArray(fc.constantFrom(...AI_HARMS), { maxLength: 3 }),
          memberStates: fc.uniqueArray(fc.constantFrom('DE', 'FR', 'IT', 'NL'), {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        { nil: undefined },
      ),
      brands: fc.option(
        fc.uniqueArray(fc.constantFrom(...CARD_BRANDS), { minLength: 1, maxLength: 3 }),
        { nil: undefined },
      ),
      ops: fc.option(
        fc.record({
          materialDisruption: fc.boolean(),
          disruptionHours: fc.integer({ min: 0, max: 8 }),
          ransomwareDeployed: fc.boolean(),
        }),
        { nil: undefined },
      ),
      submissions: fc.array(submissionArb, { maxLength: 4 }),
    })
    .map((g) => {
      const at = (o: number | undefined) => (o === undefined ? undefined : iso(g.aware + o));
      const entity = options.monotoneOnly ? { ...g.entity, doraReliefDisapplied: true } : g.entity;
      const group =
        g.group && options.monotoneOnly ? { ...g.group, doraReliefDisapplied: true } : g.group;
      const facts: IncidentFacts = {
        entity,
        ...(group ? { groupEntities: [group] } : {}),
        timeline: {
          awareAt: iso(g.aware),
          personalDataBreachAwareAt: at(g.pd),
          deployerAwareAt: at(g.deployer),
          classifiedMajorAt: options.monotoneOnly ? undefined : at(g.classified),
          discoveredAt: at(g.discovered),
          determinedAt: at(g.determined),
          materialityDeterminedAt: at(g.materiality),
          ransomPaidAt: at(g.ransom),
        },
        subjects: g.subjects.map((s, i) =>
          group && g.toGroup && i % 2 === 1 ? { ...s, controller: group.name } : s,
        ),
        dataCategories: g.dataCategories,
        riskToIndividuals: g.risk,
        encryption: g.encrypted,
        syntheticAssessment: g.synthetic,
        dora: g.dora,
        nis2: g.nis2,
        aiIncident: g.ai,
        cardBrands: g.brands,
        operationalImpact: g.ops,
        priorSubmissions: g.submissions.map((s) => ({
          regime: s.regime,
          report: s.report,
          at: iso(g.aware + s.offsetMs),
        })),
      };
      return facts;
    });
}

/** The same facts with awareAt (and every anchor that defaults to it) moved earlier by `ms`. */
export function withEarlierAwareness(facts: IncidentFacts, ms: number): IncidentFacts {
  const awareAt = iso(Date.parse(facts.timeline.awareAt) - ms);
  return { ...facts, timeline: { ...facts.timeline, awareAt } };
}
