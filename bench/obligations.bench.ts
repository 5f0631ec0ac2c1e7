/**
 * Benchmark: regulatory obligations for one incident, in process.
 * Generates 10,000 varied incidents (seeded, reproducible) and prints the median and p99
 * per-incident time of computeObligations. Target: median < 200 µs.
 * Run: npx tsx bench/obligations.bench.ts [count] [seed]
 */
import { computeObligations } from '#domain/regulatory/index.ts';
import {
  AI_HARMS,
  CARD_BRANDS,
  DATA_CATEGORIES,
  ENTITY_KINDS,
  type Entity,
  type IncidentFacts,
  type Subject,
} from '#domain/regulatory/types.ts';

const COUNT = Number(process.argv[2] ?? 10_000);
const SEED = Number(process.argv[3] ?? 20261129);

/** mulberry32: small seeded PRNG so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const chance = (p: number) => rand() < p;
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const some = <T>(items: readonly T[], max: number): T[] => [
  ...new Set(Array.from({ length: int(0, max) }, () => pick(items))),
];

const PLACES = [
  ['DE', 'Europe/Berlin'],
  ['FR', 'Europe/Paris'],
  ['IE', 'Europe/Dublin'],
  ['NL', 'Europe/Amsterdam'],
  ['GB', 'Europe/London'],
  ['US', 'America/New_York'],
  ['US', 'America/Chicago'],
] as const;
const HOUR = 3_600_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const SPAN = Date.parse('2029-12-31T00:00:00Z') - START;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const maybe = (p: number, ms: number, from: number, to: number) =>
  chance(p) ? iso(ms + int(from, to) * HOUR) : undefined;

function entity(name: string): Entity {
  const [country, timezone] = pick(PLACES);
  const kinds = some(ENTITY_KINDS, 4);
  return {
    name,
    kinds: kinds.length > 0 ? kinds : ['e-money-institution'],
    country,
    timezone,
    competentAuthority: 'Authority',
    doraReliefDisapplied: chance(0.1),
  };
}

function subjects(): Subject[] {
  return Array.from({ length: int(0, 6) }, () =>
    chance(0.5)
      ? { country: 'US', region: pick(['CA', 'CO', 'FL', 'TX', 'WA', 'NY']), count: int(0, 2000) }
      : { country: pick(['DE', 'FR', 'IE', 'GB', 'PL', 'IT']), count: int(0, 200_000) },
  );
}

function incident(): IncidentFacts {
  const aware = START + Math.floor(rand() * SPAN);
  return {
    entity: entity('Primary'),
    ...(chance(0.2) ? { groupEntities: [entity('Member')] } : {}),
    timeline: {
      awareAt: iso(aware),
      personalDataBreachAwareAt: maybe(0.3, aware, 0, 48),
      deployerAwareAt: maybe(0.1, aware, -48, 24),
      classifiedMajorAt: maybe(0.3, aware, 0, 40),
      discoveredAt: maybe(0.3, aware, -24, 24),
      determinedAt: maybe(0.3, aware, 0, 72),
      materialityDeterminedAt: maybe(0.3, aware, 0, 240),
      ransomPaidAt: maybe(0.1, aware, 0, 120),
    },
    subjects: subjects(),
    dataCategories: some(DATA_CATEGORIES, 4),
    riskToIndividuals: chance(0.5) ? pick(['none', 'risk', 'high'] as const) : undefined,
    encryption: chance(0.3) ? { encrypted: chance(0.5), keyCompromised: chance(0.3) } : undefined,
    syntheticAssessment: chance(0.2)
      ? { nearCopiesPct: pick([0, 0.5]), reidentificationSucceeded: chance(0.3) }
      : undefined,
    dora: chance(0.6)
      ? {
          criticalServicesAffected: chance(0.7),
          maliciousUnauthorisedAccess: chance(0.4),
          clientsAffected: int(0, 300_000),
          serviceDowntimeHours: rand() * 6,
          economicImpactEur: int(0, 300_000),
          ictRelated: chance(0.8),
          paymentRelated: chance(0.4),
          clientsFinancialInterestsImpacted: chance(0.5),
        }
      : undefined,
    nis2: chance(0.2)
      ? { significant: chance(0.8), serviceRecipientsAffected: chance(0.5) }
      : undefined,
    aiIncident: chance(0.3)
      ? {
          systemRole: pick(['provider', 'deployer'] as const),
          highRisk: chance(0.7),
          annex: pick(['III-5(b)', 'I', 'III-1(a)']),
          harms: some(AI_HARMS, 2),
          memberStates: [pick(['DE', 'FR', 'IT', 'NL'])],
        }
      : undefined,
    cardBrands: chance(0.3) ? [pick(CARD_BRANDS)] : undefined,
    operationalImpact: chance(0.3)
      ? {
          materialDisruption: chance(0.5),
          disruptionHours: int(0, 8),
          ransomwareDeployed: chance(0.2),
        }
      : undefined,
    priorSubmissions: chance(0.3)
      ? [
          { regime: 'DORA-19', report: 'initial', at: iso(aware + int(1, 30) * HOUR) },
          { regime: 'DORA-19', report: 'intermediate', at: iso(aware + int(40, 120) * HOUR) },
          { regime: 'NIS2-23', report: 'notification', at: iso(aware + int(10, 70) * HOUR) },
        ]
      : undefined,
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const incidents = Array.from({ length: COUNT }, incident);
// Warm-up: JIT and the per-country holiday memo (built once, as in a warm Lambda).
for (const f of incidents.slice(0, Math.min(2000, COUNT))) computeObligations(f);

const times: number[] = [];
let obligations = 0;
for (const f of incidents) {
  const t0 = process.hrtime.bigint();
  const r = computeObligations(f);
  times.push(Number(process.hrtime.bigint() - t0) / 1000);
  obligations += r.obligations.length;
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const fmt = (us: number) => `${us.toFixed(1)} µs`;
console.log(`obligations engine: ${COUNT} incidents (seed ${SEED}), ${obligations} obligations`);
console.log(
  `  median ${fmt(quantile(times, 0.5))}  p99 ${fmt(quantile(times, 0.99))}  mean ${fmt(mean)}  max ${fmt(times.at(-1) ?? 0)}`,
);
console.log(`  target median < 200 µs: ${quantile(times, 0.5) < 200 ? 'met' : 'NOT met'}`);
