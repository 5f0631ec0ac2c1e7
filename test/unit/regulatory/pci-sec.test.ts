import { describe, expect, it } from 'vitest';
import type { CardBrand, Entity } from '#domain/regulatory/types.ts';
import { all, excluded, one, run } from './helpers.ts';

const MERCHANT: Entity = {
  name: 'Acme Shop GmbH',
  kinds: ['pci-merchant'],
  country: 'DE',
  timezone: 'Europe/Berlin',
};
const REGISTRANT: Entity = {
  name: 'Acme Holdings Inc.',
  kinds: ['sec-registrant'],
  country: 'US',
  timezone: 'America/New_York',
};

describe('PCI DSS and card brands', () => {
  it('PAN compromise: acquirer/brands immediately, Mastercard ADC 24 h, PFI 72 h', () => {
    const r = run({
      entity: MERCHANT,
      dataCategories: ['payment-card-pan'],
      timeline: { awareAt: '2026-10-24T12:00:00+02:00' },
    });
    expect(one(r, 'PCI-CARD-BRANDS', 'notification', 'card-brands-and-acquirer').due).toBeNull();
    expect(one(r, 'PCI-CARD-BRANDS', 'report').due).toBe('2026-10-25T10:00:00Z');
    expect(one(r, 'PCI-CARD-BRANDS', 'forensic-engagement').due).toBe('2026-10-27T10:00:00Z');
  });

  it.each([
    [['visa'], 1],
    [['visa', 'amex'], 1],
    [['mastercard'], 3],
  ] as [CardBrand[], number][])('brands %j -> %i obligations', (cardBrands, n) => {
    const r = run({ entity: MERCHANT, dataCategories: ['payment-card-pan'], cardBrands });
    expect(all(r, 'PCI-CARD-BRANDS')).toHaveLength(n);
  });

  it('masked card numbers only are not account data', () => {
    const r = run({ entity: MERCHANT, dataCategories: ['payment-card-masked'] });
    expect(all(r, 'PCI-CARD-BRANDS')).toHaveLength(0);
    expect(excluded(r, 'PCI-CARD-BRANDS')).toBe(true);
  });
});

describe('SEC Form 8-K Item 1.05: 4 business days, 17:30 New York', () => {
  it.each([
    [
      'Wednesday before Thanksgiving (Thu 26 Nov excluded)',
      '2026-11-25T15:00:00-05:00',
      '2026-12-02T22:30:00Z',
    ],
    [
      'late Wednesday given in UTC is still Wednesday in New York',
      '2026-11-26T03:00:00Z',
      '2026-12-02T22:30:00Z',
    ],
    [
      'determined on the observed Independence Day (Fri 3 Jul 2026): day 1 is Mon',
      '2026-07-03T10:00:00-04:00',
      '2026-07-09T21:30:00Z',
    ],
    [
      'determined on Saturday across the US spring DST change',
      '2026-03-07T10:00:00-05:00',
      '2026-03-12T21:30:00Z',
    ],
    [
      'Friday night before Martin Luther King Jr. Day 2027',
      '2027-01-15T23:00:00-05:00',
      '2027-01-22T22:30:00Z',
    ],
    ['observed Christmas on Fri 24 Dec 2027', '2027-12-22T12:00:00-05:00', '2027-12-29T22:30:00Z'],
    [
      'New Year 2028 observed on Fri 31 Dec 2027',
      '2027-12-29T12:00:00-05:00',
      '2028-01-05T22:30:00Z',
    ],
    ['across the US autumn DST change', '2026-10-29T12:00:00-04:00', '2026-11-04T22:30:00Z'],
  ])('%s', (_label, materialityDeterminedAt, due) => {
    const r = run({
      entity: REGISTRANT,
      timeline: { awareAt: '2026-01-01T00:00:00Z', materialityDeterminedAt },
    });
    const o = one(r, 'SEC-8K-1.05', '8-K', 'sec');
    expect(o.due).toBe(due);
    expect(Date.parse(o.clockStart)).toBe(Date.parse(materialityDeterminedAt));
  });

  it('no materiality determination yet -> notRequired', () => {
    const r = run({ entity: REGISTRANT });
    expect(all(r, 'SEC-8K-1.05')).toHaveLength(0);
    expect(excluded(r, 'SEC-8K-1.05')).toBe(true);
  });
});
