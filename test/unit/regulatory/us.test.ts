import { describe, expect, it } from 'vitest';
import type { Entity, Regime, Subject } from '#domain/regulatory/types.ts';
import { all, excluded, one, run, US_CO } from './helpers.ts';

const TRANSMITTER: Entity = {
  name: 'Acme Pay US Inc.',
  kinds: ['ny-licensed-money-transmitter'],
  country: 'US',
  timezone: 'America/New_York',
};
const BANK: Entity = {
  name: 'Acme Bank, N.A.',
  kinds: ['us-bank'],
  country: 'US',
  timezone: 'America/New_York',
  competentAuthority: 'OCC',
};
const BSP: Entity = { ...BANK, name: 'Acme Core Services', kinds: ['bank-service-provider'] };
const us = (region: string, count: number): Subject => ({ country: 'US', region, count });
const AUTUMN = { awareAt: '2026-10-20T12:00:00-04:00' };

describe('US state laws: thresholds at and around their limits', () => {
  it.each([
    ['CA', 500, false],
    ['CA', 501, true],
    ['CO', 499, false],
    ['CO', 500, true],
    ['FL', 499, false],
    ['FL', 500, true],
    ['TX', 249, false],
    ['TX', 250, true],
    ['WA', 500, false],
    ['WA', 501, true],
  ] as const)('%s with %i residents -> regulator notice %s', (state, count, regulator) => {
    const regime = `US-STATE-${state}` as Regime;
    const r = run({
      entity: US_CO,
      timeline: AUTUMN,
      subjects: [us(state, count)],
      dataCategories: ['contact', 'government-id'],
      priorSubmissions: [
        {
          regime,
          report: 'notification',
          recipient: 'affected-residents',
          at: '2026-11-10T12:00:00-05:00',
        },
      ],
    });
    expect(all(r, regime, 'notification', 'affected-residents')).toHaveLength(1);
    expect(all(r, regime, 'notification', 'state-attorney-general')).toHaveLength(
      regulator ? 1 : 0,
    );
  });

  it('counts are summed over subject groups of the same state', () => {
    const r = run({
      entity: US_CO,
      subjects: [us('CO', 250), us('CO', 250)],
      dataCategories: ['contact'],
    });
    expect(all(r, 'US-STATE-CO', 'notification', 'state-attorney-general')).toHaveLength(1);
  });

  it('periods: 30 / 60 calendar days (autumn DST: 24 h limb earlier), CA AG 15 days after residents', () => {
    const r = run({
      entity: US_CO,
      timeline: AUTUMN,
      subjects: [us('CA', 600), us('CO', 600), us('FL', 600), us('TX', 600), us('WA', 600)],
      dataCategories: ['government-id'],
      priorSubmissions: [
        {
          regime: 'US-STATE-CA',
          report: 'notification',
          recipient: 'affected-residents',
          at: '2026-11-10T12:00:00-05:00',
        },
      ],
    });
    for (const s of ['CA', 'CO', 'FL', 'WA'] as const) {
      expect(one(r, `US-STATE-${s}`, 'notification', 'affected-residents').due).toBe(
        '2026-11-19T16:00:00Z',
      );
    }
    for (const s of ['CO', 'FL', 'WA'] as const) {
      expect(one(r, `US-STATE-${s}`, 'notification', 'state-attorney-general').due).toBe(
        '2026-11-19T16:00:00Z',
      );
    }
    expect(one(r, 'US-STATE-TX', 'notification', 'affected-residents').due).toBe(
      '2026-12-19T16:00:00Z',
    );
    expect(one(r, 'US-STATE-TX', 'notification', 'state-attorney-general').due).toBe(
      '2026-11-19T16:00:00Z',
    );
    const ag = one(r, 'US-STATE-CA', 'notification', 'state-attorney-general');
    expect([ag.clockStart, ag.due]).toEqual(['2026-11-10T17:00:00Z', '2026-11-25T17:00:00Z']);
  });

  it('CA AG sample notice is omitted until the residents notice is recorded', () => {
    const r = run({ entity: US_CO, subjects: [us('CA', 501)], dataCategories: ['contact'] });
    expect(all(r, 'US-STATE-CA', 'notification', 'state-attorney-general')).toHaveLength(0);
  });

  it('spring DST: same local time 30 days later is the earlier limb', () => {
    const r = run({
      entity: US_CO,
      timeline: { awareAt: '2026-03-01T12:00:00-05:00' },
      subjects: [us('WA', 1)],
      dataCategories: ['contact'],
    });
    expect(one(r, 'US-STATE-WA').due).toBe('2026-03-31T16:00:00Z');
  });

  it('anchors: CO/TX run from determination, CA/FL/WA from discovery', () => {
    const r = run({
      entity: US_CO,
      timeline: {
        awareAt: '2026-10-15T12:00:00Z',
        discoveredAt: '2026-10-18T16:00:00Z',
        determinedAt: '2026-10-22T16:00:00Z',
      },
      subjects: ['CA', 'CO', 'FL', 'TX', 'WA'].map((s) => us(s, 10)),
      dataCategories: ['contact'],
    });
    const start = (s: string) =>
      one(r, `US-STATE-${s}` as Regime, 'notification', 'affected-residents').clockStart;
    expect(['CA', 'FL', 'WA'].map(start)).toEqual(Array(3).fill('2026-10-18T16:00:00Z'));
    expect(['CO', 'TX'].map(start)).toEqual(Array(2).fill('2026-10-22T16:00:00Z'));
  });

  it.each([
    ['encrypted, key not acquired: safe harbour', { encrypted: true }, false],
    ['encrypted, key compromised: notify', { encrypted: true, keyCompromised: true }, true],
  ])('%s', (_label, encryption, notify) => {
    const r = run({
      entity: US_CO,
      encryption,
      subjects: ['CA', 'CO', 'FL', 'TX', 'WA'].map((s) => us(s, 1000)),
      dataCategories: ['government-id'],
    });
    for (const s of ['CA', 'CO', 'FL', 'TX', 'WA']) {
      const regime = `US-STATE-${s}` as Regime;
      expect(all(r, regime).length > 0).toBe(notify);
      expect(excluded(r, regime)).toBe(!notify);
    }
    expect(all(r, 'FTC-GLBA')).toHaveLength(notify ? 1 : 0);
  });

  it('US residents without a state are not evaluated under state laws', () => {
    const r = run({
      entity: US_CO,
      subjects: [{ country: 'US', count: 5000 }],
      dataCategories: ['contact'],
    });
    expect(r.obligations.filter((o) => o.regime.startsWith('US-STATE'))).toHaveLength(0);
  });
});

describe('FTC Safeguards Rule', () => {
  it.each([
    [499, false],
    [500, true],
    [501, true],
  ])('%i consumers -> notice %s', (count, notify) => {
    const r = run({ entity: US_CO, subjects: [us('NY', count)], dataCategories: ['contact'] });
    expect(all(r, 'FTC-GLBA', 'notification', 'ftc')).toHaveLength(notify ? 1 : 0);
    expect(excluded(r, 'FTC-GLBA')).toBe(!notify);
  });

  it('30 days after discovery, spring DST: same local time is the earlier limb', () => {
    const r = run({
      entity: US_CO,
      timeline: { awareAt: '2026-02-27T12:00:00-05:00', discoveredAt: '2026-03-01T12:00:00-05:00' },
      subjects: [us('NY', 600)],
      dataCategories: ['contact'],
    });
    const o = one(r, 'FTC-GLBA');
    expect([o.clockStart, o.due]).toEqual(['2026-03-01T17:00:00Z', '2026-03-31T16:00:00Z']);
  });
});

describe('NYDFS 500.17', () => {
  it.each([
    [
      'CO AG notice required (prong 1)',
      { subjects: [us('CO', 600)], dataCategories: ['contact'] },
      true,
    ],
    [
      'CA AG sample notice pending (prong 1)',
      { subjects: [us('CA', 501)], dataCategories: ['contact'] },
      true,
    ],
    [
      'CA 500 residents: residents only, no government body',
      { subjects: [us('CA', 500)], dataCategories: ['contact'] },
      false,
    ],
    ['material disruption (prong 2)', { operationalImpact: { materialDisruption: true } }, true],
    ['ransomware deployed (prong 3)', { operationalImpact: { ransomwareDeployed: true } }, true],
    ['nothing', {}, false],
  ] as const)('%s -> notification %s', (_label, patch, notify) => {
    const r = run({
      entity: TRANSMITTER,
      timeline: { awareAt: '2026-03-06T12:00:00-05:00', determinedAt: '2026-03-07T12:00:00-05:00' },
      ...(patch as object),
    });
    const n = all(r, 'NYDFS-500.17', 'notification', 'nydfs');
    expect(n).toHaveLength(notify ? 1 : 0);
    if (notify) expect(n[0]?.due).toBe('2026-03-10T17:00:00Z');
    expect(excluded(r, 'NYDFS-500.17')).toBe(!notify);
  });

  it('extortion payment: notice 24 h, description 30 days (autumn DST: 720 h limb)', () => {
    const r = run({
      entity: TRANSMITTER,
      timeline: { awareAt: '2026-10-19T12:00:00-04:00', ransomPaidAt: '2026-10-20T12:00:00-04:00' },
    });
    expect(one(r, 'NYDFS-500.17', 'extortion-payment-notice').due).toBe('2026-10-21T16:00:00Z');
    expect(one(r, 'NYDFS-500.17', 'extortion-payment-description').due).toBe(
      '2026-11-19T16:00:00Z',
    );
  });
});

describe('US bank 36-hour rule and bank service providers', () => {
  it('notification incident: 36 elapsed hours after determination, across US spring DST', () => {
    const r = run({
      entity: BANK,
      timeline: { awareAt: '2026-03-07T12:00:00-05:00' },
      operationalImpact: { materialDisruption: true },
    });
    const o = one(r, 'US-BANK-36H', 'notification', 'federal-banking-regulator');
    expect([o.due, o.recipientName]).toEqual(['2026-03-09T05:00:00Z', 'OCC']);
  });

  it('no material disruption -> notRequired', () => {
    const r = run({ entity: BANK });
    expect(excluded(r, 'US-BANK-36H')).toBe(true);
  });

  it.each([
    [3.99, false],
    [4, true],
  ])('service provider disruption %f h -> notice %s', (disruptionHours, notify) => {
    const r = run({
      entity: BSP,
      operationalImpact: { materialDisruption: true, disruptionHours },
    });
    expect(all(r, 'US-BANK-SERVICE-PROVIDER', 'notification', 'bank-customers')).toHaveLength(
      notify ? 1 : 0,
    );
    expect(excluded(r, 'US-BANK-SERVICE-PROVIDER')).toBe(!notify);
  });
});
