import { describe, expect, it } from 'vitest';
import type { DoraFacts, Entity } from '#domain/regulatory/types.ts';
import { all, CI_DE, EMI_DE, excluded, one, run } from './helpers.ts';

const MAJOR: DoraFacts = { criticalServicesAffected: true, maliciousUnauthorisedAccess: true };
const withKinds = (e: Entity, patch: Partial<Entity>): Entity => ({ ...e, ...patch });

describe('DORA initial notification and Art 5(4)/(5)/(6) relief', () => {
  const friday = {
    awareAt: '2026-05-08T18:00:00+02:00',
    classifiedMajorAt: '2026-05-08T21:30:00+02:00',
  };
  it.each([
    [
      'e-money institution, Friday 23:30Z = Sat 01:30 Berlin: relief to Mon 12:00',
      EMI_DE,
      '2026-05-11T10:00:00Z',
    ],
    [
      'credit institution: no relief for the initial notification (Art 5(5))',
      CI_DE,
      '2026-05-08T23:30:00Z',
    ],
    [
      'EMI that is also an NIS2 entity: no relief (Art 5(5))',
      withKinds(EMI_DE, { kinds: ['e-money-institution', 'nis2-important'] }),
      '2026-05-08T23:30:00Z',
    ],
    [
      'EMI with relief disapplied by the CA (Art 5(6))',
      withKinds(EMI_DE, { doraReliefDisapplied: true }),
      '2026-05-08T23:30:00Z',
    ],
    [
      'payment institution: relief applies',
      withKinds(EMI_DE, { kinds: ['payment-institution'] }),
      '2026-05-11T10:00:00Z',
    ],
  ])('%s', (_label, entity, due) => {
    const r = run({ entity, timeline: friday, dora: { criticalServicesAffected: true } });
    const o = one(r, 'DORA-19', 'initial', 'financial-supervisor');
    expect(o.due).toBe(due);
    expect(o.clockStart).toBe('2026-05-08T19:30:00Z');
  });

  it.each([
    [
      'EMI: Good Friday deadline moves past Easter Monday to Tue 12:00',
      EMI_DE,
      '2026-04-07T10:00:00Z',
    ],
    [
      'credit institution: no bank-holiday relief for the initial notification',
      CI_DE,
      '2026-04-03T10:00:00Z',
    ],
  ])('%s', (_label, entity, due) => {
    const r = run({ entity, timeline: { awareAt: '2026-04-03T08:00:00+02:00' }, dora: MAJOR });
    expect(one(r, 'DORA-19', 'initial').due).toBe(due);
  });

  it('holidays are those of the entity Member State: Good Friday is no public holiday in Poland', () => {
    const pl = withKinds(EMI_DE, { country: 'PL', timezone: 'Europe/Warsaw' });
    const r = run({ entity: pl, timeline: { awareAt: '2026-04-03T08:00:00+02:00' }, dora: MAJOR });
    expect(one(r, 'DORA-19', 'initial').due).toBe('2026-04-03T10:00:00Z');
  });

  it.each([
    [
      'classified 12 h after awareness: 4 h after classification',
      '2026-06-01T20:00:00Z',
      '2026-06-02T00:00:00Z',
      '2026-06-01T20:00:00Z',
    ],
    [
      'classified 22 h after awareness: 24 h after awareness expires first',
      '2026-06-02T06:00:00Z',
      '2026-06-02T08:00:00Z',
      '2026-06-01T08:00:00Z',
    ],
    [
      'classified exactly 24 h after awareness: still the earlier limb',
      '2026-06-02T08:00:00Z',
      '2026-06-02T08:00:00Z',
      '2026-06-01T08:00:00Z',
    ],
    [
      'classified 26 h after awareness: 4 h after classification (Art 5(2))',
      '2026-06-02T10:00:00Z',
      '2026-06-02T14:00:00Z',
      '2026-06-02T10:00:00Z',
    ],
  ])('%s', (_label, classifiedMajorAt, due, clockStart) => {
    const r = run({ timeline: { awareAt: '2026-06-01T08:00:00Z', classifiedMajorAt }, dora: {} });
    const o = one(r, 'DORA-19', 'initial');
    expect([o.due, o.clockStart]).toEqual([due, clockStart]);
  });

  it('without classifiedMajorAt a major incident is classified at awareness: 4 h', () => {
    const r = run({ timeline: { awareAt: '2026-06-01T08:00:00Z' }, dora: MAJOR });
    expect(one(r, 'DORA-19', 'initial').due).toBe('2026-06-01T12:00:00Z');
  });
});

describe('DORA intermediate and final reports', () => {
  const major = { dora: MAJOR, timeline: { awareAt: '2026-05-08T18:00:00+02:00' } };

  it('follow-ups appear only once their anchoring submission is recorded', () => {
    const r = run(major);
    expect(all(r, 'DORA-19').map((o) => o.report)).toEqual(['initial']);
  });

  it.each([
    ['EMI: intermediate on Ascension Day moves to Fri 12:00', EMI_DE, '2026-05-15T10:00:00Z'],
    ['credit institution: intermediate without relief', CI_DE, '2026-05-14T07:00:00Z'],
  ])('%s', (_label, entity, due) => {
    const r = run({
      ...major,
      entity,
      priorSubmissions: [{ regime: 'DORA-19', report: 'initial', at: '2026-05-11T09:00:00+02:00' }],
    });
    const o = one(r, 'DORA-19', 'intermediate');
    expect(o.due).toBe(due);
    expect(o.clockStart).toBe('2026-05-11T07:00:00Z');
  });

  it.each([
    [
      'CI final on Whit Monday: relief applies to final reports of CIs too',
      CI_DE,
      '2026-04-25T10:00:00+02:00',
      '2026-05-26T10:00:00Z',
    ],
    [
      'relief disapplied: final stays on Whit Monday',
      withKinds(CI_DE, { doraReliefDisapplied: true }),
      '2026-04-25T10:00:00+02:00',
      '2026-05-25T08:00:00Z',
    ],
    [
      'month across spring DST keeps 11:00 local (CET -> CEST)',
      CI_DE,
      '2026-03-15T11:00:00+01:00',
      '2026-04-15T09:00:00Z',
    ],
    [
      'month across autumn DST lands on a Sunday: relief to Mon 12:00 CET',
      CI_DE,
      '2026-10-15T11:00:00+02:00',
      '2026-11-16T11:00:00Z',
    ],
    [
      'autumn DST, relief disapplied: Sun 11:00 CET',
      withKinds(CI_DE, { doraReliefDisapplied: true }),
      '2026-10-15T11:00:00+02:00',
      '2026-11-15T10:00:00Z',
    ],
    [
      '31 Jan + 1 month clamps to Sat 28 Feb, relief to Mon 2 Mar',
      EMI_DE,
      '2026-01-31T10:00:00+01:00',
      '2026-03-02T11:00:00Z',
    ],
    [
      '31 Jan + 1 month clamps to 28 Feb, relief disapplied',
      withKinds(EMI_DE, { doraReliefDisapplied: true }),
      '2026-01-31T10:00:00+01:00',
      '2026-02-28T09:00:00Z',
    ],
  ])('%s', (_label, entity, at, due) => {
    const r = run({
      ...major,
      entity,
      priorSubmissions: [{ regime: 'DORA-19', report: 'intermediate', at }],
    });
    expect(one(r, 'DORA-19', 'final').due).toBe(due);
  });

  it('final runs from the latest updated intermediate report', () => {
    const r = run({
      ...major,
      entity: withKinds(CI_DE, { doraReliefDisapplied: true }),
      priorSubmissions: [
        { regime: 'DORA-19', report: 'intermediate', at: '2026-06-03T10:00:00Z' },
        { regime: 'DORA-19', report: 'intermediate', at: '2026-06-09T10:00:00Z' },
      ],
    });
    expect(one(r, 'DORA-19', 'final').due).toBe('2026-07-09T10:00:00Z');
  });
});

describe('DORA major classification (Del. Reg. 2024/1772 Arts 8, 9; strict thresholds)', () => {
  // Each row varies one Art 9 criterion at and just past its threshold; reputational impact
  // supplies exactly one other criterion, so the row decides whether two are met.
  const one9 = { criticalServicesAffected: true, reputationalImpact: true };
  it.each([
    ['clients 100,000 (not > 100,000)', { clientsAffected: 100_000 }, false],
    ['clients 100,001', { clientsAffected: 100_001 }, true],
    ['clients 10 %', { clientsAffectedPct: 10 }, false],
    ['clients 10.01 %', { clientsAffectedPct: 10.01 }, true],
    ['counterparts 30 %', { financialCounterpartsAffectedPct: 30 }, false],
    ['counterparts 30.01 %', { financialCounterpartsAffectedPct: 30.01 }, true],
    ['transactions 10 %', { transactionsAffectedPct: 10 }, false],
    ['transactions 10.01 %', { transactionsAffectedPct: 10.01 }, true],
    ['duration 24 h', { durationHours: 24 }, false],
    ['duration 24.01 h', { durationHours: 24.01 }, true],
    ['downtime 2 h', { serviceDowntimeHours: 2 }, false],
    ['downtime 2.01 h', { serviceDowntimeHours: 2.01 }, true],
    ['1 Member State', { memberStatesAffected: 1 }, false],
    ['2 Member States', { memberStatesAffected: 2 }, true],
    ['no data losses', { dataLosses: [] }, false],
    ['availability loss', { dataLosses: ['availability'] }, true],
    [
      'EUR 100,000 final (not exceeded)',
      { economicImpactEur: 100_000, economicImpactFinal: true },
      false,
    ],
    ['EUR 100,000.01 final', { economicImpactEur: 100_000.01, economicImpactFinal: true }, true],
    ['EUR 99,999.99 estimate', { economicImpactEur: 99_999.99 }, false],
    ['EUR 100,000 estimate (likely to exceed)', { economicImpactEur: 100_000 }, true],
    [
      'several thresholds of Art 9(1) count as one criterion',
      { clientsAffected: 200_000, clientsAffectedPct: 50, reputationalImpact: false },
      false,
    ],
    [
      'malicious unauthorised access alone (Art 8(1)(a))',
      { maliciousUnauthorisedAccess: true, reputationalImpact: false },
      true,
    ],
    [
      'no critical services affected (Art 6 gate)',
      {
        criticalServicesAffected: false,
        maliciousUnauthorisedAccess: true,
        clientsAffected: 200_000,
        durationHours: 48,
      },
      false,
    ],
  ] as [string, DoraFacts, boolean][])('%s -> major %s', (_label, patch, major) => {
    const r = run({ dora: { ...one9, ...patch } });
    expect(all(r, 'DORA-19', 'initial')).toHaveLength(major ? 1 : 0);
    expect(excluded(r, 'DORA-19')).toBe(!major);
  });

  it('DORA is not considered without classification inputs', () => {
    const r = run({ subjects: [{ country: 'DE', count: 1 }], dataCategories: ['contact'] });
    expect(all(r, 'DORA-19')).toHaveLength(0);
    expect(excluded(r, 'DORA-19')).toBe(false);
  });
});

describe('DORA Art 23, Art 19(3) and PSD2 Art 96', () => {
  it('non-ICT payment-related major incident is reported as DORA-23; PSD2-96 superseded', () => {
    const r = run({ dora: { ...MAJOR, ictRelated: false, paymentRelated: true } });
    expect(one(r, 'DORA-23', 'initial', 'financial-supervisor').due).toBe('2026-06-10T16:20:00Z');
    expect(all(r, 'DORA-19')).toHaveLength(0);
    expect(excluded(r, 'DORA-19')).toBe(true);
    expect(excluded(r, 'PSD2-96')).toBe(true);
  });

  it('ICT-related payment incident stays under Art 19', () => {
    const r = run({ dora: { ...MAJOR, paymentRelated: true } });
    expect(all(r, 'DORA-19', 'initial')).toHaveLength(1);
    expect(excluded(r, 'DORA-23')).toBe(true);
    expect(excluded(r, 'PSD2-96')).toBe(true);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])('clients financial interests impacted %s -> %i client communications', (impacted, n) => {
    const r = run({ dora: { ...MAJOR, clientsFinancialInterestsImpacted: impacted } });
    const c = all(r, 'DORA-19-CLIENTS', 'communication', 'clients');
    expect(c).toHaveLength(n);
    if (n === 1) expect(c[0]?.due).toBeNull();
    expect(excluded(r, 'DORA-19-CLIENTS')).toBe(n === 0);
  });

  it('a non-EU entity is not a DORA financial entity', () => {
    const r = run({
      entity: withKinds(EMI_DE, { country: 'GB', timezone: 'Europe/London' }),
      dora: MAJOR,
    });
    expect(all(r, 'DORA-19')).toHaveLength(0);
    expect(excluded(r, 'DORA-19')).toBe(true);
  });
});

describe('DORA scope', () => {
  it('an incident that is neither ICT- nor payment-related is outside Chapter III reporting', () => {
    const r = run({
      dora: {
        ...MAJOR,
        ictRelated: false,
        paymentRelated: false,
        clientsFinancialInterestsImpacted: true,
      },
    });
    expect(r.obligations).toHaveLength(0);
    for (const regime of ['DORA-19', 'DORA-23', 'DORA-19-CLIENTS'] as const) {
      expect(excluded(r, regime)).toBe(true);
    }
  });
});
