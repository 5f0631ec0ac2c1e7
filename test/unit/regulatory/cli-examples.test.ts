import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ObligationsResultSchema } from '#contracts/obligations.ts';
import type { Obligation, ObligationsResult } from '#domain/regulatory/types.ts';
import { CONTRACTS_DIR } from './contracts-dir.ts';

/**
 * Runs every contracts example through the real CLI and compares with the expected JSON.
 * Equality: obligations as a multiset (order-free) on regime, report, recipient, due, clockStart
 * and, where the expected file names one, recipientName; dueRule and basis are free text and only
 * have to be non-empty. notRequired: the same set of regimes (order-free; reason/basis free text).
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(CONTRACTS_DIR, 'examples');
const names = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.facts.json'))
  .map((f) => f.replace('.facts.json', ''))
  .sort();

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['cli/bin.mjs', 'obligations', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

const comparable = (o: Obligation, withName: boolean) =>
  JSON.stringify([
    o.regime,
    o.report,
    o.recipient,
    o.due,
    o.clockStart,
    withName ? (o.recipientName ?? null) : null,
  ]);

describe('contracts examples through the CLI', () => {
  it('finds the four examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(4);
  });

  it.each(names)('%s', (name) => {
    const run = cli('--facts', join(EXAMPLES, `${name}.facts.json`), '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const actual = ObligationsResultSchema.parse(JSON.parse(run.stdout)) as ObligationsResult;
    const expected = JSON.parse(
      readFileSync(join(EXAMPLES, `${name}.expected.json`), 'utf8'),
    ) as ObligationsResult;

    const expectedKeys = expected.obligations
      .map((o) => comparable(o, o.recipientName !== undefined))
      .sort();
    const actualKeys = actual.obligations
      .map((o) => comparable(o, expectedNames(expected, o)))
      .sort();
    expect(actualKeys).toEqual(expectedKeys);
    for (const o of actual.obligations) {
      expect(o.dueRule.length).toBeGreaterThan(0);
      expect(o.basis.length).toBeGreaterThan(0);
    }
    expect(actual.notRequired.map((n) => n.regime).sort()).toEqual(
      expected.notRequired.map((n) => n.regime).sort(),
    );
  });

  it('without --json prints a table sorted by due time, null dues last', () => {
    const run = cli('--facts', join(EXAMPLES, 'dora-weekend-relief.facts.json'));
    expect(run.status).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => /^(\d{4}-|\(no fixed period\))/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/)[0])).toEqual([
      '2026-05-11T10:00:00Z',
      '2026-05-15T10:00:00Z',
      '2026-06-15T09:00:00Z',
      '(no fixed period)',
    ]);
  });
});

/** Whether the expected obligation matching this one's identity names a recipient. */
function expectedNames(expected: ObligationsResult, o: Obligation): boolean {
  return expected.obligations.some(
    (e) =>
      e.regime === o.regime &&
      e.report === o.report &&
      e.recipient === o.recipient &&
      e.recipientName !== undefined,
  );
}

describe('invalid facts: exit 2 with one line naming the schema path and reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tourniquet-facts-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const valid = JSON.parse(readFileSync(join(EXAMPLES, 'gdpr-baseline.facts.json'), 'utf8'));

  it.each([
    ['missing file', join(dir, 'absent.json'), /incident-facts\.schema\.json#.*ENOENT/],
    ['bad JSON', write('bad.json', '{"entity": '), /incident-facts\.schema\.json#: not valid JSON/],
    [
      'missing awareAt',
      write('no-aware.json', JSON.stringify({ ...valid, timeline: {} })),
      /#\/timeline\/awareAt/,
    ],
    [
      'timestamp without offset',
      write(
        'no-offset.json',
        JSON.stringify({ ...valid, timeline: { awareAt: '2026-06-10T14:20:00' } }),
      ),
      /#\/timeline\/awareAt/,
    ],
    [
      'unknown property',
      write('extra.json', JSON.stringify({ ...valid, surprise: true })),
      /incident-facts\.schema\.json#.*surprise/,
    ],
    [
      'unknown time zone',
      write(
        'tz.json',
        JSON.stringify({ ...valid, entity: { ...valid.entity, timezone: 'Europe/Atlantis' } }),
      ),
      /#\/entity\/timezone/,
    ],
    [
      'region outside the US',
      write(
        'region.json',
        JSON.stringify({ ...valid, subjects: [{ country: 'DE', region: 'CA', count: 1 }] }),
      ),
      /#\/subjects\/0/,
    ],
    [
      'report not paired with the regime',
      write(
        'pair.json',
        JSON.stringify({
          ...valid,
          priorSubmissions: [{ regime: 'GDPR-33', report: 'final', at: '2026-06-10T14:20:00Z' }],
        }),
      ),
      /#\/priorSubmissions\/0\/report/,
    ],
  ])('%s', (_label, file, pattern) => {
    const run = cli('--facts', file, '--json');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});
