import { computeObligations } from '#domain/regulatory/index.ts';
import type {
  Entity,
  IncidentFacts,
  Obligation,
  ObligationsResult,
  Recipient,
  Regime,
  Report,
} from '#domain/regulatory/types.ts';

/** Builders and finders for table-driven regulatory tests. */

export const EMI_DE: Entity = {
  name: 'Acme Pay Europe GmbH',
  kinds: ['e-money-institution'],
  country: 'DE',
  timezone: 'Europe/Berlin',
  competentAuthority: 'BaFin',
  gdpr: { mainEstablishment: 'DE', leadAuthority: 'BlnBDI' },
};

export const CI_DE: Entity = { ...EMI_DE, name: 'Acme Bank AG', kinds: ['credit-institution'] };

export const US_CO: Entity = {
  name: 'Acme Pay US Inc.',
  kinds: ['us-nonbank-financial-institution'],
  country: 'US',
  timezone: 'America/New_York',
};

type FactsPatch = Omit<Partial<IncidentFacts>, 'timeline'> & {
  timeline?: Partial<IncidentFacts['timeline']>;
};

export function facts(patch: FactsPatch = {}): IncidentFacts {
  const { timeline, ...rest } = patch;
  return {
    entity: EMI_DE,
    subjects: [],
    dataCategories: [],
    ...rest,
    timeline: { awareAt: '2026-06-10T14:20:00+02:00', ...timeline },
  };
}

export function run(patch: FactsPatch = {}): ObligationsResult {
  return computeObligations(facts(patch));
}

export function all(
  r: ObligationsResult,
  regime: Regime,
  report?: Report,
  recipient?: Recipient,
): Obligation[] {
  return r.obligations.filter(
    (o) =>
      o.regime === regime &&
      (report === undefined || o.report === report) &&
      (recipient === undefined || o.recipient === recipient),
  );
}

/** The single matching obligation; throws when there is none or more than one. */
export function one(
  r: ObligationsResult,
  regime: Regime,
  report?: Report,
  recipient?: Recipient,
): Obligation {
  const found = all(r, regime, report, recipient);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${regime}/${report}/${recipient}, got ${found.length}: ${JSON.stringify(r)}`,
    );
  }
  return found[0] as Obligation;
}

export function excluded(r: ObligationsResult, regime: Regime): boolean {
  return r.notRequired.some((n) => n.regime === regime);
}

export function regimes(r: ObligationsResult): Regime[] {
  return [...new Set(r.obligations.map((o) => o.regime))].sort();
}
