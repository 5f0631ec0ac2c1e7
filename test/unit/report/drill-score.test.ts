import { describe, expect, it } from 'vitest';
import { drillSummary, expectationFor, scoreDrill } from '#domain/drill/score.ts';
import { renderHtml } from '#domain/report/html.ts';
import { renderMarkdown } from '#domain/report/markdown.ts';
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

  it('storefront down: expectDown replaces the containment, escalation and item expectations; passes count as their action', () => {
    const scenario = {
      expect: {
        containment: ['media.quarantine-object', 'media.disable-catalog-image'],
        changes: { 'media.quarantine-object': 3, 'media.disable-catalog-image': 6 },
        obligations: ['NYDFS'],
      },
      expectDown: {
        containment: ['media.quarantine-object'],
        escalated: ['media.disable-catalog-image'],
        changes: { 'media.quarantine-object': 3, 'media.disable-catalog-image': 0 },
      },
    };
    expect(expectationFor(scenario, 'up')).toBe(scenario.expect);
    const down = expectationFor(scenario, 'down');
    expect(down).toEqual({
      containment: ['media.quarantine-object'],
      escalated: ['media.disable-catalog-image'],
      changes: { 'media.quarantine-object': 3, 'media.disable-catalog-image': 0 },
      obligations: ['NYDFS'],
    });
    const at = r.actions[0]!.updatedAt;
    const media = [
      { action: 'media.quarantine-object', status: 'executed', result: { changed: 1 } },
      {
        action: 'media.quarantine-object#0123456789ab',
        status: 'executed',
        result: { changed: 1 },
      },
      {
        action: 'media.quarantine-object#ba9876543210',
        status: 'released',
        result: { changed: 1 },
      },
      { action: 'media.disable-catalog-image', status: 'escalated' },
      { action: 'media.disable-catalog-image#0123456789ab', status: 'escalated' },
    ].map((a) => ({ ...a, updatedAt: at }));
    const s = scoreDrill('deepfake-catalog-images', 'down', down, { ...r, actions: media });
    expect(s.actions).toEqual({
      expected: ['media.quarantine-object'],
      actual: ['media.quarantine-object'],
      missing: [],
      unexpected: [],
    });
    expect(s.escalations).toEqual({
      expected: ['media.disable-catalog-image'],
      actual: ['media.disable-catalog-image'],
      missing: [],
    });
    expect(s.changes.actual).toEqual({ 'media.quarantine-object': 3 });
    expect(s.failures).toEqual(['obligation NYDFS was not produced']);
    // the up expectations judged against a storefront-down run list what is missing
    const wrong = scoreDrill('deepfake-catalog-images', 'down', expectationFor(scenario, 'up'), {
      ...r,
      actions: media,
    });
    expect(wrong.actions.missing).toEqual(['media.disable-catalog-image']);
    expect(wrong.failures).toContain('media.disable-catalog-image changed 0 item(s), expected 6');
    // the report's drill section shows expected versus actual
    const summary = drillSummary(s);
    expect(summary.expectations).toEqual([
      {
        check: 'containment executed',
        expected: 'media.quarantine-object',
        actual: 'media.quarantine-object',
        ok: true,
      },
      {
        check: 'escalated',
        expected: 'media.disable-catalog-image',
        actual: 'media.disable-catalog-image',
        ok: true,
      },
      { check: 'media.quarantine-object: items changed', expected: '3', actual: '3', ok: true },
      { check: 'media.disable-catalog-image: items changed', expected: '0', actual: '0', ok: true },
    ]);
    const input = { ...r, actions: media, generatedAt: at, drill: summary };
    const md = renderMarkdown(input);
    expect(md).toContain(
      '| escalated | media.disable-catalog-image | media.disable-catalog-image | ✔ |',
    );
    expect(md).toContain('| media.quarantine-object: items changed | 3 | 3 | ✔ |');
    expect(renderHtml(input)).toContain('<td>media.disable-catalog-image: items changed</td>');
  });
});
