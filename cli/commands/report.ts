import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { renderIncidentReport } from '#use-cases/report-render.ts';
import { CliError } from '../errors.ts';

interface ReportOpts {
  html?: string;
  markdown?: string;
  endpoint?: string;
  table?: string;
  profile?: string;
  region?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'render an incident report (timeline with hash-chain check, chart, obligations, containment, evidence hashes)',
    )
    .argument('<incidentId>', 'incident id (inc_…)')
    .option('--html <file>', 'also write the self-contained HTML report to FILE')
    .option('--markdown <file>', 'write the Markdown to FILE instead of the terminal')
    .option(
      '--endpoint <url>',
      'DynamoDB endpoint of the local runtime (e.g. http://127.0.0.1:8000)',
    )
    .option('--table <name>', 'incident table name (default: $TOURNIQUET_TABLE)')
    .option('--profile <name>', 'AWS profile (AWS)')
    .option('--region <region>', 'AWS region (AWS)')
    .action(async (incidentId: string, opts: ReportOpts) => {
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(incidentId))
        throw new CliError(`invalid incident id '${incidentId.slice(0, 40)}'`);
      const table = opts.table ?? process.env.TOURNIQUET_TABLE;
      if (!table) throw new CliError('--table (or TOURNIQUET_TABLE) is required');
      const client = new DynamoDBClient({
        ...(opts.region ? { region: opts.region } : opts.endpoint ? { region: 'eu-west-1' } : {}),
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.endpoint
          ? {
              endpoint: opts.endpoint,
              credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            }
          : {}),
      });
      const store = new DynamoIncidentStore(DynamoDBDocumentClient.from(client), table);
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
        process.exitCode = r.input.verification.verified ? 0 : 1;
      } catch (err) {
        const e = err as Error;
        throw new CliError(
          `${e.name === 'IncidentNotFoundError' ? '' : 'report failed: '}${e.message.split('\n')[0]}`,
          e.name === 'IncidentNotFoundError' ? 2 : 1,
        );
      } finally {
        client.destroy();
      }
    });
}
