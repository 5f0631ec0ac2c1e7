import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadMapIndex } from '#adapters/file-data-map.ts';
import { assessLeakFile, LeakFileError } from '#adapters/leak-file-reader.ts';
import type { ScopeResult } from '#domain/scope/assess.ts';
import { CsvError } from '#domain/scope/csv.ts';
import type { MapIndex } from '#domain/scope/data-map.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import { CliError } from '../errors.ts';

/** `tourniquet scope --leak FILE [--map DIR] [--json]`: who and what a leaked artefact exposes. */

export const HMAC_KEY_ENV = 'TOURNIQUET_EMAIL_HMAC_KEY';

export function renderScope(r: ScopeResult): string {
  const out = [
    `Artefact ${r.artefact.file}: ${r.artefact.kind} (${r.artefact.recognisedBy}), ${r.artefact.rows} rows`,
    `Confidence: ${r.confidence.level}${r.confidence.map ? ' (data map)' : ' (file only)'}`,
    `Affected: ${r.affected.total} (located ${r.affected.located}, unlocated ${r.affected.unlocated}, matched in map ${r.affected.matchedInMap})`,
    `Data categories: ${r.dataCategories.join(', ') || 'none'}`,
    'Subjects:',
    ...r.subjects.map((s) => `  ${s.country}${s.region ? `-${s.region}` : ''}  ${s.count}`),
    `Financial records: ${r.financialRecords.orders} orders, ${r.financialRecords.storedCards} stored cards, ${r.financialRecords.ledgerAccounts} ledger accounts`,
    `Unmatched rows: ${r.unmatched.rows}${r.unmatched.lines.length ? ` (lines ${r.unmatched.lines.slice(0, 10).join(', ')}${r.unmatched.rows > 10 ? ', …' : ''})` : ''}`,
    ...r.confidence.notes.map((n) => `Note: ${n}`),
  ];
  return `${out.join('\n')}\n`;
}

export async function runScope(opts: {
  leak: string;
  map?: string | undefined;
  hmacKey?: string | undefined;
}): Promise<{ result: ScopeResult; recipients: string[] }> {
  let map: Promise<MapIndex> | undefined;
  let emailHmac: ((e: string) => string) | undefined;
  if (opts.map) {
    const key = opts.hmacKey ?? process.env[HMAC_KEY_ENV];
    if (!key) throw new CliError(`--map needs the email HMAC key in ${HMAC_KEY_ENV}`, 2);
    try {
      emailHmac = emailHmacFn(key);
    } catch (err) {
      throw new CliError(`invalid map: ${(err as Error).message}`, 2);
    }
    // a large map is indexed in a worker thread while the leaked file is read here
    map = loadMapIndex(opts.map).then((m) => m.index);
    map.catch(() => {}); // awaited below
  }
  try {
    return await assessLeakFile(opts.leak, { map, emailHmac });
  } catch (err) {
    if (map)
      await map.catch((mapErr: Error) => {
        throw new CliError(`invalid map: ${mapErr.message}`, 2);
      });
    if (err instanceof CsvError || err instanceof LeakFileError)
      throw new CliError(`invalid leak file ${opts.leak}: ${err.message}`, 2);
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new CliError(`cannot read ${opts.leak} (${code})`, 2);
    throw err;
  }
}

export function registerScope(program: Command): void {
  program
    .command('scope')
    .description('Affected subjects, data categories and financial records of a leaked artefact')
    .requiredOption('--leak <file>', 'leaked CSV/JSONL (Magento export, order grid, list, dump)')
    .option('--map <dir>', 'data map directory (manifest.json + JSONL); without it: file only')
    .option('--recipients <file>', 'write matched recipient ids (one per line) to this file')
    .option('--json', 'print one JSON document')
    .action(async (o: { leak: string; map?: string; json?: boolean; recipients?: string }) => {
      const { result, recipients } = await runScope(o);
      if (o.recipients) writeFileSync(o.recipients, recipients.map((r) => `${r}\n`).join(''));
      process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : renderScope(result));
    });
}
