import type { Command } from 'commander';
import { type DrillResult, runDrill } from '../../infra/local/drill.ts';
import { listScenarios } from '../../infra/local/scenario.ts';
import { CliError } from '../errors.ts';
import { renderScoreTable, runAllDrills } from './drill-all.ts';

export const DEFAULT_SCENARIO = 'gateway-fraud-burst';

export function registerDrill(program: Command): void {
  program
    .command('drill')
    .description('run an incident scenario end to end on the embedded local runtime')
    .option(
      '--scenario <name>',
      `scenario in scenarios/ (${listScenarios().join(', ')})`,
      DEFAULT_SCENARIO,
    )
    .option(
      '--storefront <state>',
      'up | down (Magento and gateway simulators refuse every connection)',
      'up',
    )
    .option('--json', 'print one JSON document instead of the summary')
    .option(
      '--all',
      'run every scenario in scenarios/ and print a score table (exit 0 only if all pass)',
    )
    .action(
      async (opts: { scenario: string; storefront: string; json?: boolean; all?: boolean }) => {
        if (opts.storefront !== 'up' && opts.storefront !== 'down') {
          throw new CliError(`--storefront must be up or down, not '${opts.storefront}'`);
        }
        const progress = (line: string) => process.stderr.write(`[drill] ${line}\n`);
        if (opts.all) {
          const rows = await runAllDrills(opts.storefront, progress);
          if (opts.json)
            process.stdout.write(
              `${JSON.stringify({ passed: rows.every((r) => r.passed), scenarios: rows }, null, 2)}\n`,
            );
          else process.stdout.write(renderScoreTable(rows));
          process.exitCode = rows.length > 0 && rows.every((r) => r.passed) ? 0 : 1;
          return;
        }
        let result: DrillResult;
        try {
          result = await runDrill(opts.scenario, { storefront: opts.storefront, progress });
        } catch (err) {
          throw new CliError(
            (err as Error).message.split('\n')[0] ?? 'drill failed',
            /unknown scenario|invalid scenario|scenario .*:/.test((err as Error).message) ? 2 : 1,
          );
        }
        const { report: _report, ...doc } = result;
        if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        else process.stdout.write(renderSummary(result));
        process.exitCode = result.passed ? 0 : 1;
      },
    );
}

export function renderSummary(r: DrillResult): string {
  const lines: string[] = [];
  lines.push(`Drill ${r.scenario}: ${r.passed ? 'PASSED' : 'FAILED'}`);
  lines.push(
    `  incident      ${r.incidentId ?? '—'} (${r.classification ?? '?'}, playbook ${r.playbook ?? '?'})`,
  );
  lines.push(`  incidents     ${r.incidents}`);
  lines.push('  containment');
  for (const a of r.containment) {
    const v = (a.verification as { detail?: string } | undefined)?.detail ?? '';
    lines.push(
      `    ${a.status === 'executed' ? '✔' : '✖'} ${a.action.padEnd(44)} ${a.status.padEnd(9)} ${v}`,
    );
  }
  lines.push(
    `  timeline      ${r.timeline.entries} entries, hash chain ${r.timeline.verified ? 'verified' : 'BROKEN'}`,
  );
  lines.push(
    `  gateway calls ${r.simulatorCalls.stripe.length} (${r.simulatorCalls.stripe.filter((c) => c.method !== 'GET').length} changes)`,
  );
  lines.push(
    `  timings       runtime start ${ms(r.timings.runtimeStartMs)}, drill ${ms(r.timings.drillMs)}`,
  );
  if (r.report) {
    lines.push('  timeline entries');
    for (const e of r.report.timeline)
      lines.push(
        `    ${String(e.seq).padStart(3)} ${e.at.slice(11, 19)} ${e.type.padEnd(24)} ${e.summary}`,
      );
  }
  for (const f of r.failures) lines.push(`  ✖ ${f}`);
  return `${lines.join('\n')}\n`;
}

const ms = (n: number) => `${Math.round(n)} ms`;
