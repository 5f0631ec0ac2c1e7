import { describe, expect, it } from 'vitest';
import { scoreDrill } from '#domain/drill/score.ts';
import { renderScoreTable } from '../../../cli/commands/drill-all.ts';
import { fixtureReport } from './fixture.ts';

describe('drill scoring', () => {
  const r = fixtureReport();
  const actions = r.actions;
  it('scores clocks, margins and expected vs actual actions and obligations', () => {
    const s = scoreDrill(
      'x',
      'up',
      {
        containment: ['magento.block-admin-exports', 'magento.revoke-integration-tokens'],
        obligations: ['GDPR', 'NIS2'],
      },
      { ...r, actions },
    );
    expect(s).toMatchObject({
      timeToClassifySeconds: 25,
      timeToContainSeconds: 714,
      timeToFirstRegulatorDraftSeconds: 3594,
      approvalsWaitedOn: 1,
      stepsFailed: 1,
      actions: {
        actual: ['magento.block-admin-exports'],
        missing: ['magento.revoke-integration-tokens'],
      },
      obligations: { missing: ['NIS2'] },
    });
    expect(s.obligationMargins).toEqual([
      {
        obligation: 'GDPR/art33-notification',
        due: '2026-03-04T10:00:06.000Z',
        marginSeconds: 176406,
        status: 'sent',
      },
      {
        obligation: 'DORA/initial',
        due: '2026-03-01T14:00:06.000Z',
        marginSeconds: -79194,
        status: 'pending',
      },
    ]);
    expect(s.passed).toBe(false);
    expect(s.failures).toEqual(['obligation NIS2 was not produced']);
  });
  it('applies pass criteria and recovery expectations', () => {
    const s = scoreDrill(
      'x',
      'down',
      {
        containment: [],
        passCriteria: { maxContainSeconds: 600, maxStepsFailed: 0, minObligationMarginSeconds: 0 },
        recovery: { promoted: true },
      },
      r,
      ['runner: 1 event went to the DLQ'],
    );
    expect(s.failures).toEqual([
      'runner: 1 event went to the DLQ',
      'the recovery gate never scanned a restore',
      'restore was not promoted (expected promotion)',
      'containment took 714 s (limit 600 s)',
      '1 step(s) failed (limit 0)',
      'obligation DORA/initial margin -79194 s is below 0 s',
    ]);
    const table = renderScoreTable([
      {
        scenario: 'x',
        storefront: 'down',
        passed: false,
        incidentId: 'i',
        score: s,
        failures: s.failures,
        drillMs: 1,
        reportFiles: [],
      },
    ]);
    expect(table).toContain('0/1 scenario(s) passed');
    expect(table).toMatch(/x\s+down\s+FAIL\s+25s\s+714s\s+3594s\s+-79194s/);
  });
});
