import { describe, expect, it } from 'vitest';
import type { Entity } from '#domain/regulatory/types.ts';
import { all, CI_DE, EMI_DE, excluded, one, run } from './helpers.ts';

const CLOUD_DE: Entity = {
  name: 'Acme Cloud Services GmbH',
  kinds: ['nis2-important'],
  country: 'DE',
  timezone: 'Europe/Berlin',
  competentAuthority: 'BSI',
};

describe('NIS2 Art 23', () => {
  it('early warning 24 h and notification 72 h of awareness (elapsed, across spring DST)', () => {
    const r = run({ entity: CLOUD_DE, timeline: { awareAt: '2026-03-27T12:00:00+01:00' } });
    expect(one(r, 'NIS2-23', 'early-warning', 'csirt').due).toBe('2026-03-28T11:00:00Z');
    expect(one(r, 'NIS2-23', 'notification', 'csirt').due).toBe('2026-03-30T11:00:00Z');
    expect(all(r, 'NIS2-23', 'final')).toHaveLength(0);
    expect(excluded(r, 'NIS2-23-RECIPIENTS')).toBe(true);
  });

  it('final report one month after the notification, clamped to the month end, no relief', () => {
    const r = run({
      entity: CLOUD_DE,
      timeline: { awareAt: '2026-01-29T10:00:00+01:00' },
      priorSubmissions: [
        { regime: 'NIS2-23', report: 'notification', at: '2026-01-31T10:00:00+01:00' },
      ],
    });
    const f = one(r, 'NIS2-23', 'final');
    expect(f.due).toBe('2026-02-28T09:00:00Z');
    expect(f.clockStart).toBe('2026-01-31T09:00:00Z');
  });

  it('recipients of services affected -> communication without undue delay', () => {
    const r = run({ entity: CLOUD_DE, nis2: { serviceRecipientsAffected: true } });
    expect(one(r, 'NIS2-23-RECIPIENTS', 'communication', 'service-recipients').due).toBeNull();
  });

  it.each([
    ['not significant', CLOUD_DE, { significant: false }],
    [
      'credit institution: displaced by DORA',
      { ...CI_DE, kinds: ['credit-institution', 'nis2-essential'] } as Entity,
      {},
    ],
    ['e-money institution: not an NIS2 sector', EMI_DE, {}],
    [
      'not established in the EU',
      { ...CLOUD_DE, country: 'US', timezone: 'America/New_York' } as Entity,
      {},
    ],
  ])('%s -> notRequired', (_label, entity, nis2) => {
    const r = run({ entity, nis2 });
    expect(all(r, 'NIS2-23')).toHaveLength(0);
    expect(excluded(r, 'NIS2-23')).toBe(true);
    expect(excluded(r, 'NIS2-23-RECIPIENTS')).toBe(true);
  });
});
