import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncidentFactsSchema } from '#contracts/incident-facts.ts';
import { ObligationsResultSchema } from '#contracts/obligations.ts';
import { computeObligations } from '#domain/regulatory/index.ts';
import { factsArb } from './arbitraries.ts';
import { CONTRACTS_DIR } from './contracts-dir.ts';

/** The zod contracts against the JSON Schema files, which are the authority. */

const load = (name: string) => JSON.parse(readFileSync(join(CONTRACTS_DIR, name), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateFacts = ajv.compile(load('incident-facts.schema.json'));
const validateResult = ajv.compile(load('obligations-result.schema.json'));

const examples = readdirSync(join(CONTRACTS_DIR, 'examples')).filter((f) =>
  f.endsWith('.facts.json'),
);
const example = (f: string) => load(join('examples', f));

describe('IncidentFacts zod schema agrees with incident-facts.schema.json', () => {
  it.each(examples)('accepts example %s', (f) => {
    expect(validateFacts(example(f))).toBe(true);
    expect(IncidentFactsSchema.safeParse(example(f)).success).toBe(true);
  });

  const base = example('dora-weekend-relief.facts.json');
  it.each([
    ['extra top-level key', { ...base, extra: 1 }],
    ['negative count', { ...base, subjects: [{ country: 'DE', count: -1 }] }],
    ['fractional count', { ...base, subjects: [{ country: 'DE', count: 1.5 }] }],
    [
      'region with a non-US country',
      { ...base, subjects: [{ country: 'DE', region: 'CA', count: 1 }] },
    ],
    ['duplicate data category', { ...base, dataCategories: ['contact', 'contact'] }],
    ['unknown entity kind', { ...base, entity: { ...base.entity, kinds: ['bank'] } }],
    ['empty kinds', { ...base, entity: { ...base.entity, kinds: [] } }],
    ['no offset', { ...base, timeline: { awareAt: '2026-05-08T18:00:00' } }],
    ['percent over 100', { ...base, dora: { clientsAffectedPct: 101 } }],
    [
      'non-EEA main establishment',
      { ...base, entity: { ...base.entity, gdpr: { mainEstablishment: 'US' } } },
    ],
    [
      'bad annex',
      {
        ...base,
        aiIncident: {
          systemRole: 'provider',
          highRisk: true,
          annex: 'II',
          harms: [],
          memberStates: ['DE'],
        },
      },
    ],
    [
      'empty memberStates',
      {
        ...base,
        aiIncident: { systemRole: 'provider', highRisk: true, harms: [], memberStates: [] },
      },
    ],
    [
      'unpaired prior submission',
      {
        ...base,
        priorSubmissions: [
          { regime: 'SEC-8K-1.05', report: 'initial', at: '2026-05-08T18:00:00Z' },
        ],
      },
    ],
    [
      'unpaired recipient',
      {
        ...base,
        priorSubmissions: [
          {
            regime: 'US-STATE-CA',
            report: 'notification',
            recipient: 'sec',
            at: '2026-05-08T18:00:00Z',
          },
        ],
      },
    ],
    ['empty cardBrands', { ...base, cardBrands: [] }],
    ['missing dataCategories', { entity: base.entity, timeline: base.timeline, subjects: [] }],
  ])('rejects %s in both', (_label, doc) => {
    expect(validateFacts(doc)).toBe(false);
    expect(IncidentFactsSchema.safeParse(doc).success).toBe(false);
  });

  it('generated facts are valid under both schemas', () => {
    fc.assert(
      fc.property(factsArb(), (facts) => {
        const doc = JSON.parse(JSON.stringify(facts));
        expect(validateFacts(doc)).toBe(true);
        expect(IncidentFactsSchema.safeParse(doc).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ObligationsResult conforms to obligations-result.schema.json', () => {
  it('every engine result for generated facts validates against the JSON Schema and the zod schema', () => {
    fc.assert(
      fc.property(factsArb(), (facts) => {
        const result = JSON.parse(JSON.stringify(computeObligations(facts)));
        expect(validateResult(result), JSON.stringify(validateResult.errors)).toBe(true);
        expect(ObligationsResultSchema.safeParse(result).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it.each(readdirSync(join(CONTRACTS_DIR, 'examples')).filter((f) => f.endsWith('.expected.json')))(
    'expected file %s validates under both schemas',
    (f) => {
      expect(validateResult(example(f))).toBe(true);
      expect(ObligationsResultSchema.safeParse(example(f)).success).toBe(true);
    },
  );
});
