import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderIncidentReport } from '#use-cases/report-render.ts';
import { CliError } from '../errors.ts';
import { openStore } from './incidents.ts';

interface ReportOpts {
  html?: string;
  markdown?: string;
  endpoint?: string;
  table?: string;
  stage?: string;
  profile?: string;
  region?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'render an incident report (timeline with hash-chain check, chart, obligations, containment, evidence hashes)',
    )
    .argument('<incidentId>', 'incident id (INC-…)')
    .option('--html <file>', 'also write the self-contained HTML report to FILE')
    .option('--markdown <file>', 'write the Markdown to FILE instead of the terminal')
    .option('--endpoint <url>', 'DynamoDB endpoint of a running `tourniquet local`')
    .option('--table <name>', 'incident table (default tourniquet-incidents-<stage>)')
    .option('--stage <stage>', 'stage whose table to read (default prod; local with --endpoint)')
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', 'AWS region')
    .action(async (incidentId: string, opts: ReportOpts) => {
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(incidentId))
        throw new CliError(`invalid incident id '${incidentId.slice(0, 40)}'`);
      const { store, client, table } = openStore(opts);
      try {
        const r = await renderIncidentReport(store, incidentId, {
          generatedAt: new Date().toISOString(),
        });
        if (opts.markdown) writeFileSync(opts.markdown, r.markdown);
        else process.stdout.write(r.markdown);
        if (opts.html) {
          writeFileSync(opts.html, r.html);
          process.stderr.write(`tourniquet: HTML report written to ${opts.html}\n`);
        }
        // a broken hash chain is reported in the document and fails the command
        process.exitCode = r.input.verification.verified ? 0 : 1;
      } catch (err) {
        const e = err as Error;
        if (e.name === 'IncidentNotFoundError')
          throw new CliError(`incident ${incidentId} not found in ${table}`, 2);
        throw new CliError(`cannot read ${table}: ${e.name}: ${e.message.split('\n')[0]}`, 1);
      } finally {
        client.destroy();
      }
    });
}
