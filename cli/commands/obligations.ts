import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  firstIssue,
  INCIDENT_FACTS_SCHEMA_ID,
  IncidentFactsSchema,
  toDomainFacts,
} from '#contracts/incident-facts.ts';
import { computeObligations } from '#domain/regulatory/index.ts';
import type { IncidentFacts, ObligationsResult } from '#domain/regulatory/types.ts';
import { CliError } from '../errors.ts';

/** `tourniquet obligations --facts FILE [--json]`: regulatory obligations for one incident. */

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Reads and validates the facts; any problem is a CliError (exit 2) on one line. */
export function loadFacts(file: string): IncidentFacts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read error';
    throw new CliError(
      `invalid facts ${INCIDENT_FACTS_SCHEMA_ID}#: cannot read ${file} (${code})`,
      2,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new CliError(
      oneLine(`invalid facts ${INCIDENT_FACTS_SCHEMA_ID}#: not valid JSON: ${msg}`),
      2,
    );
  }
  const parsed = IncidentFactsSchema.safeParse(json);
  if (!parsed.success) {
    const { path, reason } = firstIssue(parsed.error);
    throw new CliError(oneLine(`invalid facts ${INCIDENT_FACTS_SCHEMA_ID}#${path}: ${reason}`), 2);
  }
  return toDomainFacts(parsed.data);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Obligations sorted by due time, nulls last (stable). */
export function sortByDue(result: ObligationsResult): ObligationsResult['obligations'] {
  return [...result.obligations].sort((a, b) => {
    if (a.due === b.due) return 0;
    if (a.due === null) return 1;
    if (b.due === null) return -1;
    return Date.parse(a.due) - Date.parse(b.due);
  });
}

/** Human-readable table: obligations by due time, then the regimes not required. */
export function renderTable(result: ObligationsResult): string {
  const rows = sortByDue(result).map((o) => [
    o.due ?? '(no fixed period)',
    o.regime,
    o.report,
    o.recipient,
    o.recipientName ?? '',
    o.basis,
  ]);
  const header = ['DUE (UTC)', 'REGIME', 'REPORT', 'RECIPIENT', 'NAME', 'BASIS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [`Obligations (${rows.length})`, line(header), ...rows.map(line)];
  if (rows.length === 0) out.push('  none');
  out.push('', `Not required (${result.notRequired.length})`);
  for (const n of result.notRequired) out.push(`  ${n.regime}: ${n.reason} [${n.basis}]`);
  return `${out.join('\n')}\n`;
}

export function registerObligations(program: Command): void {
  program
    .command('obligations')
    .description(
      'Regulatory obligations (regime, report, recipient, due time, basis) for one incident',
    )
    .requiredOption('--facts <file>', 'IncidentFacts JSON (contracts/incident-facts.schema.json)')
    .option('--json', 'print exactly one ObligationsResult JSON document')
    .action((opts: { facts: string; json?: boolean }) => {
      const result = computeObligations(loadFacts(opts.facts));
      process.stdout.write(
        opts.json ? `${JSON.stringify(result, null, 2)}\n` : renderTable(result),
      );
    });
}
