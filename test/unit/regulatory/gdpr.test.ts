import { describe, expect, it } from 'vitest';
import { all, EMI_DE, excluded, one, run } from './helpers.ts';

const PERSONAL = ['contact', 'postal-address'] as const;

describe('GDPR Art 33/34', () => {
  it('72 elapsed hours from awareness to the lead SA; Art 34 when risk is high (default)', () => {
    const r = run({ subjects: [{ country: 'DE', count: 10 }], dataCategories: [...PERSONAL] });
    const n = one(r, 'GDPR-33', 'notification', 'supervisory-authority');
    expect(n.due).toBe('2026-06-13T12:20:00Z');
    expect(n.clockStart).toBe('2026-06-10T12:20:00Z');
    expect(n.recipientName).toBe('BlnBDI');
    expect(one(r, 'GDPR-34', 'communication', 'data-subjects').due).toBeNull();
  });

  it.each([
    // [label, awareAt, due] — DST: 72 elapsed hours, not the same wall clock 3 days later
    ['EU spring DST (29 Mar 2026)', '2026-03-27T10:00:00+01:00', '2026-03-30T09:00:00Z'],
    ['EU autumn DST (25 Oct 2026)', '2026-10-23T10:00:00+02:00', '2026-10-26T08:00:00Z'],
    [
      'weekend and holiday count (Easter 2026)',
      '2026-04-02T18:00:00+02:00',
      '2026-04-05T16:00:00Z',
    ],
  ])('%s', (_label, awareAt, due) => {
    const r = run({
      timeline: { awareAt },
      subjects: [{ country: 'DE', count: 1 }],
      dataCategories: ['contact'],
    });
    expect(one(r, 'GDPR-33').due).toBe(due);
  });

  it('personalDataBreachAwareAt anchors GDPR instead of awareAt', () => {
    const r = run({
      timeline: { personalDataBreachAwareAt: '2026-06-11T08:00:00Z' },
      subjects: [{ country: 'DE', count: 1 }],
      dataCategories: ['contact'],
    });
    expect(one(r, 'GDPR-33').clockStart).toBe('2026-06-11T08:00:00Z');
    expect(one(r, 'GDPR-33').due).toBe('2026-06-14T08:00:00Z');
  });

  it.each([
    ['high', true, true],
    ['risk', true, false],
    ['none', false, false],
  ] as const)('risk %s -> Art 33 %s, Art 34 %s', (risk, art33, art34) => {
    const r = run({
      riskToIndividuals: risk,
      subjects: [{ country: 'DE', count: 5 }],
      dataCategories: ['contact'],
    });
    expect(all(r, 'GDPR-33')).toHaveLength(art33 ? 1 : 0);
    expect(all(r, 'GDPR-34')).toHaveLength(art34 ? 1 : 0);
    expect(excluded(r, 'GDPR-33')).toBe(!art33);
    expect(excluded(r, 'GDPR-34')).toBe(!art34);
  });

  it.each([
    ['encrypted, key intact: Art 34(3)(a) exempts communication', { encrypted: true }, false],
    [
      'encrypted, key compromised: data count as unencrypted',
      { encrypted: true, keyCompromised: true },
      true,
    ],
    ['not encrypted', { encrypted: false }, true],
  ])('%s', (_label, encryption, communicate) => {
    const r = run({
      encryption,
      subjects: [{ country: 'DE', count: 5 }],
      dataCategories: ['health'],
    });
    expect(all(r, 'GDPR-33')).toHaveLength(1);
    expect(all(r, 'GDPR-34')).toHaveLength(communicate ? 1 : 0);
    expect(excluded(r, 'GDPR-34')).toBe(!communicate);
  });

  it('non-EU controller notifies every SA of residence, one obligation each (EDPB 9/2022 para 73)', () => {
    const r = run({
      entity: {
        name: 'Acme US',
        kinds: ['pci-merchant'],
        country: 'US',
        timezone: 'America/New_York',
        gdpr: { representative: 'IE' },
      },
      subjects: [
        { country: 'FR', count: 3 },
        { country: 'DE', count: 4 },
        { country: 'FR', count: 1 },
        { country: 'US', region: 'NY', count: 9 },
      ],
      dataCategories: ['contact'],
    });
    const n = all(r, 'GDPR-33');
    expect(n.map((o) => o.recipientName).sort()).toEqual([
      'CNIL',
      'Competent German supervisory authority (Land DPA / BfDI)',
    ]);
    expect(all(r, 'UK-GDPR-33')).toHaveLength(0);
  });

  it('no territorial link: a US entity with US residents only is not considered for GDPR', () => {
    const r = run({
      entity: {
        name: 'Acme US',
        kinds: ['pci-merchant'],
        country: 'US',
        timezone: 'America/New_York',
      },
      subjects: [{ country: 'US', region: 'NY', count: 9 }],
      dataCategories: ['contact'],
    });
    expect(all(r, 'GDPR-33')).toHaveLength(0);
    expect(excluded(r, 'GDPR-33')).toBe(false);
  });

  it('no personal data at all: GDPR is not considered', () => {
    const r = run({});
    expect(r.obligations).toHaveLength(0);
    expect(r.notRequired).toHaveLength(0);
  });
});

describe('UK GDPR', () => {
  it('UK entity notifies the ICO within 72 elapsed hours across the UK spring DST change', () => {
    const r = run({
      entity: {
        name: 'Acme Pay UK Ltd',
        kinds: ['pci-merchant'],
        country: 'GB',
        timezone: 'Europe/London',
      },
      timeline: { awareAt: '2026-03-28T12:00:00Z' },
      subjects: [{ country: 'GB', count: 20 }],
      dataCategories: ['contact'],
    });
    const n = one(r, 'UK-GDPR-33', 'notification', 'supervisory-authority');
    expect(n.due).toBe('2026-03-31T12:00:00Z');
    expect(n.recipientName).toBe('ICO');
    expect(one(r, 'UK-GDPR-34').due).toBeNull();
    expect(all(r, 'GDPR-33')).toHaveLength(0);
  });

  it('EU entity with UK residents owes both GDPR and UK GDPR notices', () => {
    const r = run({
      entity: EMI_DE,
      subjects: [{ country: 'GB', count: 2 }],
      dataCategories: ['contact'],
      riskToIndividuals: 'risk',
    });
    expect(one(r, 'GDPR-33').recipientName).toBe('BlnBDI');
    expect(one(r, 'UK-GDPR-33').due).toBe('2026-06-13T12:20:00Z');
    expect(excluded(r, 'UK-GDPR-34')).toBe(true);
  });
});

describe('synthetic data (Recital 26, EDPB Opinion 28/2024)', () => {
  const base = { subjects: [{ country: 'DE', count: 1000 }] };
  it.each([
    [
      'anonymous synthetic with a passing assessment',
      ['synthetic-anonymous'],
      { nearCopiesPct: 0, reidentificationSucceeded: false },
      false,
    ],
    [
      'anonymous claim but 0.1 % near copies',
      ['synthetic-anonymous'],
      { nearCopiesPct: 0.1, reidentificationSucceeded: false },
      true,
    ],
    [
      'anonymous claim but re-identification succeeded',
      ['synthetic-anonymous'],
      { nearCopiesPct: 0, reidentificationSucceeded: true },
      true,
    ],
    ['anonymous claim without any assessment', ['synthetic-anonymous'], undefined, true],
    [
      'memorised real records',
      ['synthetic-memorised'],
      { nearCopiesPct: 0, reidentificationSucceeded: false },
      true,
    ],
    [
      'anonymous synthetic mixed with a real seed dataset',
      ['synthetic-anonymous', 'contact'],
      { nearCopiesPct: 0, reidentificationSucceeded: false },
      true,
    ],
  ] as const)('%s', (_label, dataCategories, syntheticAssessment, personal) => {
    const r = run({
      ...base,
      dataCategories: [...dataCategories],
      ...(syntheticAssessment ? { syntheticAssessment } : {}),
    });
    expect(all(r, 'GDPR-33')).toHaveLength(personal ? 1 : 0);
    expect(all(r, 'GDPR-34')).toHaveLength(personal ? 1 : 0);
    expect(excluded(r, 'GDPR-33')).toBe(!personal);
  });
});
