import { describe, expect, it } from 'vitest';
import type { AiIncident, Entity } from '#domain/regulatory/types.ts';
import { all, EMI_DE, excluded, one, run } from './helpers.ts';

const AI_LABS: Entity = {
  name: 'Acme AI Labs GmbH',
  kinds: ['ai-provider'],
  country: 'DE',
  timezone: 'Europe/Berlin',
};

const ai = (patch: Partial<AiIncident>): AiIncident => ({
  systemRole: 'provider',
  highRisk: true,
  annex: 'III-5(b)',
  harms: ['fundamental-rights'],
  memberStates: ['DE'],
  ...patch,
});

const MARCH = { awareAt: '2028-03-01T10:00:00+01:00' };

describe('AI Act Art 73 periods: 15 / 10 / 2 days', () => {
  it.each([
    ['15 days: fundamental rights', { harms: ['fundamental-rights'] }, '2028-03-16T09:00:00Z'],
    ['15 days: serious harm to health', { harms: ['serious-health'] }, '2028-03-16T09:00:00Z'],
    [
      '15 days: property or environment',
      { harms: ['property-or-environment'] },
      '2028-03-16T09:00:00Z',
    ],
    ['10 days: death', { harms: ['death'] }, '2028-03-11T09:00:00Z'],
    [
      '2 days: critical infrastructure',
      { harms: ['critical-infrastructure'] },
      '2028-03-03T09:00:00Z',
    ],
    [
      '2 days: widespread infringement',
      { harms: ['fundamental-rights'], widespread: true },
      '2028-03-03T09:00:00Z',
    ],
    [
      'shortest period wins: death and critical infrastructure',
      { harms: ['death', 'critical-infrastructure'] },
      '2028-03-03T09:00:00Z',
    ],
    [
      'explicit widespread false overrides the derived value',
      { memberStates: ['DE', 'FR', 'IT'], widespread: false },
      '2028-03-16T09:00:00Z',
    ],
  ] as [string, Partial<AiIncident>, string][])('%s', (_label, patch, due) => {
    const r = run({ entity: AI_LABS, timeline: MARCH, aiIncident: ai(patch) });
    for (const o of all(r, 'EU-AI-ACT-73', 'initial', 'market-surveillance-authority')) {
      expect(o.due).toBe(due);
    }
    expect(all(r, 'EU-AI-ACT-73').length).toBeGreaterThan(0);
  });

  it.each([
    [
      'spring DST: same Berlin time 15 days later is the earlier limb',
      '2028-03-20T09:00:00+01:00',
      ['fundamental-rights'],
      '2028-04-04T07:00:00Z',
    ],
    [
      'autumn DST: 15 x 24 h is the earlier limb',
      '2028-10-20T09:00:00+02:00',
      ['fundamental-rights'],
      '2028-11-04T07:00:00Z',
    ],
    [
      'autumn DST, death: 10 x 24 h',
      '2028-10-25T12:00:00+02:00',
      ['death'],
      '2028-11-04T10:00:00Z',
    ],
  ] as const)('%s', (_label, awareAt, harms, due) => {
    const r = run({
      entity: AI_LABS,
      timeline: { awareAt },
      aiIncident: ai({ harms: [...harms] }),
    });
    expect(one(r, 'EU-AI-ACT-73').due).toBe(due);
  });

  it('widespread derived from >= 2 Member States other than the provider: 2 days, one MSA each', () => {
    const r = run({
      entity: AI_LABS,
      timeline: MARCH,
      aiIncident: ai({ memberStates: ['DE', 'FR', 'IT'] }),
    });
    const o = all(r, 'EU-AI-ACT-73');
    expect(o).toHaveLength(3);
    expect(new Set(o.map((x) => x.due))).toEqual(new Set(['2028-03-03T09:00:00Z']));
    expect(new Set(o.map((x) => x.recipientName)).size).toBe(3);
  });

  it('one other Member State is not widespread: 15 days', () => {
    const r = run({
      entity: AI_LABS,
      timeline: MARCH,
      aiIncident: ai({ memberStates: ['DE', 'FR'] }),
    });
    expect(all(r, 'EU-AI-ACT-73').map((o) => o.due)).toEqual([
      '2028-03-16T09:00:00Z',
      '2028-03-16T09:00:00Z',
    ]);
  });

  it('the earlier deployer awareness starts the clock', () => {
    const r = run({
      entity: AI_LABS,
      timeline: { ...MARCH, deployerAwareAt: '2028-02-28T09:00:00Z' },
      aiIncident: ai({}),
    });
    const o = one(r, 'EU-AI-ACT-73');
    expect([o.clockStart, o.due]).toEqual(['2028-02-28T09:00:00Z', '2028-03-14T09:00:00Z']);
  });

  it('a deployer informs immediately (Art 26(5)): due null', () => {
    const r = run({ entity: AI_LABS, timeline: MARCH, aiIncident: ai({ systemRole: 'deployer' }) });
    expect(one(r, 'EU-AI-ACT-73').due).toBeNull();
  });
});

describe('AI Act Art 73 exclusions', () => {
  it.each([
    ['not high-risk (1:1 KYC verification)', AI_LABS, MARCH.awareAt, { highRisk: false }],
    ['no Art 3(49) harm', AI_LABS, MARCH.awareAt, { harms: [] }],
    ['Annex III before 2 Dec 2027 (Digital Omnibus)', AI_LABS, '2027-12-01T23:59:00+01:00', {}],
    ['Annex I before 2 Aug 2028', AI_LABS, MARCH.awareAt, { annex: 'I' }],
    [
      '73(9): DORA entity, Annex III, property harm only',
      EMI_DE,
      MARCH.awareAt,
      { harms: ['property-or-environment'] },
    ],
  ] as [string, Entity, string, Partial<AiIncident>][])(
    '%s -> notRequired',
    (_label, entity, awareAt, patch) => {
      const r = run({ entity, timeline: { awareAt }, aiIncident: ai(patch) });
      expect(all(r, 'EU-AI-ACT-73')).toHaveLength(0);
      expect(excluded(r, 'EU-AI-ACT-73')).toBe(true);
    },
  );

  it('Annex III applies from 2 Dec 2027 local date (00:30 CET = 1 Dec 23:30Z)', () => {
    const r = run({
      entity: AI_LABS,
      timeline: { awareAt: '2027-12-01T23:30:00Z' },
      aiIncident: ai({}),
    });
    expect(one(r, 'EU-AI-ACT-73').due).toBe('2027-12-16T23:30:00Z');
  });

  it('73(9): a DORA entity reports only the fundamental-rights limb (15 days, not the 10-day death limb)', () => {
    const r = run({
      entity: EMI_DE,
      timeline: MARCH,
      aiIncident: ai({ harms: ['death', 'fundamental-rights'] }),
    });
    expect(one(r, 'EU-AI-ACT-73').due).toBe('2028-03-16T09:00:00Z');
    const labs = run({
      entity: AI_LABS,
      timeline: MARCH,
      aiIncident: ai({ harms: ['death', 'fundamental-rights'] }),
    });
    expect(one(labs, 'EU-AI-ACT-73').due).toBe('2028-03-11T09:00:00Z');
  });
});
