import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parseSyntheticRegistry } from '#contracts/synthetic-registry.ts';
import { CliError } from '../errors.ts';

export const DEFAULT_REGISTRY = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'config',
  'synthetic-sources.json',
);

export function registerSyntheticSources(program: Command): void {
  program
    .command('synthetic-sources')
    .description(
      'print the synthetic-data registry: sources, markers, datasets and integration points',
    )
    .option('--file <path>', 'registry file', DEFAULT_REGISTRY)
    .option('--json', 'print the validated registry as JSON')
    .action((opts: { file: string; json?: boolean }) => {
      let reg: ReturnType<typeof parseSyntheticRegistry>;
      try {
        reg = parseSyntheticRegistry(JSON.parse(readFileSync(opts.file, 'utf8')));
      } catch (err) {
        throw new CliError(`${opts.file}: ${(err as Error).message.split('\n')[0]}`);
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(reg, null, 2)}\n`);
        return;
      }
      const out: string[] = [
        `Synthetic-data registry ${reg.version} (${reg.sources.length} source(s))`,
        '',
      ];
      const marker = (m: { column: string; equals?: string[]; pattern?: string }) =>
        `${m.column} ${m.equals ? `= ${m.equals.join(' | ')}` : ''}${m.equals && m.pattern ? ' or ' : ''}${m.pattern ? `~ /${m.pattern}/` : ''}`;
      for (const s of reg.sources) {
        out.push(`${s.id}: ${s.description}`);
        out.push(`  markers         ${s.markers.map(marker).join('; ')}`);
        out.push(`  datasets        ${s.datasets.join(', ') || '—'}`);
        out.push(`  pipelines       ${s.integrationPoints.pipelines.join(', ') || '—'}`);
        out.push(`  buckets         ${s.integrationPoints.buckets.join(', ') || '—'}`);
        out.push(`  magento tables  ${s.integrationPoints.magentoTables.join(', ') || '—'}`);
        out.push(`  dynamodb tables ${s.integrationPoints.tables.join(', ') || '—'}`);
        out.push('');
      }
      out.push('Markers of unregistered synthetic data (always block a restore):');
      for (const m of reg.unregisteredMarkers) out.push(`  ${marker(m)}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
