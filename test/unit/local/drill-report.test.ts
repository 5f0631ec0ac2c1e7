import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finishDrill } from '#local/drill-report.ts';
import { loadScenario } from '#local/scenario.ts';
import { fixtureReport } from '../report/fixture.ts';

/**
 * The local drill's report with the storefront down is scored against the scenario's
 * expectDown (scenario data), so it shows expected versus actual for that mode instead of the
 * normal actions as missing.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'tq-drill-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finishDrill expectations per storefront mode', () => {
  const scenario = loadScenario('deepfake-catalog-images');
  const base = fixtureReport();
  const at = base.actions[0]!.updatedAt;
  const done = (action: string, changed: number) => ({
    action,
    status: 'executed',
    result: { changed },
    updatedAt: at,
  });
  const report = (actions: Array<{ action: string; status: string; updatedAt: string }>) =>
    ({ ...base, actions }) as never;

  it('storefront down: quarantine of all three images executes, disabling escalates; the score passes', () => {
    const actions = [
      done('media.quarantine-object', 1),
      done('media.quarantine-object#0123456789ab', 1),
      done('media.quarantine-object#ba9876543210', 1),
      { action: 'media.disable-catalog-image', status: 'escalated', updatedAt: at },
    ];
    const result = { report: report(actions), failures: [], passed: true };
    const { score, files } = finishDrill(result, scenario, 'down', at, dir);
    expect(score.actions).toMatchObject({ expected: ['media.quarantine-object'], missing: [] });
    expect(score.escalations).toEqual({
      expected: ['media.disable-catalog-image'],
      actual: ['media.disable-catalog-image'],
      missing: [],
    });
    expect(score.passed).toBe(true);
    const md = readFileSync(files[0]!, 'utf8');
    expect(path.basename(files[0]!)).toBe('deepfake-catalog-images.storefront-down.md');
    expect(md).toContain(
      '| containment executed | media.quarantine-object | media.quarantine-object | ✔ |',
    );
    expect(md).toContain('| media.disable-catalog-image: items changed | 0 | 0 | ✔ |');
  });

  it('storefront up: a third image left uncontained fails the item count', () => {
    const actions = [done('media.quarantine-object', 2), done('media.disable-catalog-image', 4)];
    const result = { report: report(actions), failures: [], passed: true };
    const { score } = finishDrill(result, scenario, 'up', at, dir);
    expect(score.actions.missing).toEqual([]);
    expect(score.failures).toEqual([
      'media.quarantine-object changed 2 item(s), expected 3',
      'media.disable-catalog-image changed 4 item(s), expected 6',
    ]);
    expect(result.passed).toBe(false);
  });
});
