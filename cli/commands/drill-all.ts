import type { DrillScore } from '#domain/drill/score.ts';
import { type DrillResult, runDrill } from '../../infra/local/drill.ts';
import { listScenarios } from '../../infra/local/scenario.ts';

export interface DrillAllRow {
  scenario: string;
  storefront: 'up' | 'down';
  passed: boolean;
  incidentId: string | null;
  score: DrillScore | null;
  failures: string[];
  drillMs: number;
  reportFiles: string[];
}

/** Runs every scenario, one after the other (one local runtime at a time), and collects the scores. */
export async function runAllDrills(
  storefront: 'up' | 'down',
  progress: (line: string) => void,
  run: (name: string) => Promise<DrillResult> = (name) => runDrill(name, { storefront, progress }),
  names: string[] = listScenarios(),
): Promise<DrillAllRow[]> {
  const rows: DrillAllRow[] = [];
  for (const name of names) {
    progress(`── ${name} (storefront ${storefront})`);
    try {
      const r = await run(name);
      rows.push({
        scenario: name,
        storefront,
        passed: r.passed,
        incidentId: r.incidentId,
        score: r.score ?? null,
        failures: r.failures,
        drillMs: Math.round(r.timings.drillMs),
        reportFiles: r.reportFiles ?? [],
      });
    } catch (err) {
      rows.push({
        scenario: name,
        storefront,
        passed: false,
        incidentId: null,
        score: null,
        failures: [(err as Error).message.split('\n')[0] ?? 'drill crashed'],
        drillMs: 0,
        reportFiles: [],
      });
    }
  }
  return rows;
}

const secs = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n}s`);

/** The score table: one row per scenario; failures listed below it. */
export function renderScoreTable(rows: DrillAllRow[]): string {
  const head = [
    'scenario',
    'sf',
    'result',
    'classify',
    'contain',
    '1st draft',
    'min margin',
    'approvals',
    'esc/fail',
    'actions',
    'obligations',
  ];
  const body = rows.map((r) => {
    const s = r.score;
    const margins = (s?.obligationMargins ?? [])
      .map((m) => m.marginSeconds)
      .filter((m): m is number => m !== null);
    return [
      r.scenario,
      r.storefront,
      r.passed ? 'PASS' : 'FAIL',
      secs(s?.timeToClassifySeconds),
      secs(s?.timeToContainSeconds),
      secs(s?.timeToFirstRegulatorDraftSeconds),
      margins.length ? secs(Math.min(...margins)) : '—',
      String(s?.approvalsWaitedOn ?? '—'),
      s ? `${s.stepsEscalated}/${s.stepsFailed}` : '—',
      s
        ? `${s.actions.expected.length - s.actions.missing.length}/${s.actions.expected.length}`
        : '—',
      s
        ? `${s.obligations.expected.length - s.obligations.missing.length}/${s.obligations.expected.length}`
        : '—',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)];
  const passed = rows.filter((r) => r.passed).length;
  out.push('', `${passed}/${rows.length} scenario(s) passed`);
  for (const r of rows.filter((x) => !x.passed)) {
    out.push(`✖ ${r.scenario} (storefront ${r.storefront})`);
    for (const f of r.failures) out.push(`    ${f}`);
  }
  return `${out.join('\n')}\n`;
}
