import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { verifyChain } from '#domain/timeline.ts';
import { CliError } from '../errors.ts';

interface StoreOpts {
  endpoint?: string;
  table?: string;
  stage?: string;
  profile?: string;
  region?: string;
}

/**
 * The incident table: on a running `tourniquet local` (--endpoint from its first line) or in AWS
 * (--profile/--region; the table name follows the stateful stack: tourniquet-incidents-<stage>).
 */
export function openStore(o: StoreOpts) {
  if (o.profile) process.env.AWS_PROFILE = o.profile;
  const table = o.table ?? `tourniquet-incidents-${o.stage ?? (o.endpoint ? 'local' : 'prod')}`;
  const client = new DynamoDBClient({
    region: o.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(o.endpoint
      ? { endpoint: o.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
  return {
    store: new DynamoIncidentStore(DynamoDBDocumentClient.from(client), table),
    client,
    table,
  };
}

const storeOptions = (c: Command) =>
  c
    .option('--endpoint <url>', 'DynamoDB endpoint of a running `tourniquet local`')
    .option('--table <name>', 'incident table (default tourniquet-incidents-<stage>)')
    .option('--stage <stage>', 'stage whose table to read (default prod; local with --endpoint)')
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', 'AWS region');

async function withStore<T>(o: StoreOpts, fn: (s: DynamoIncidentStore) => Promise<T>): Promise<T> {
  const { store, client, table } = openStore(o);
  try {
    return await fn(store);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as Error;
    throw new CliError(`cannot read ${table}: ${e.name}: ${e.message.split('\n')[0]}`, 1);
  } finally {
    client.destroy();
  }
}

export function registerIncidents(program: Command): void {
  storeOptions(program.command('incidents').description('list incidents, newest first'))
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many', '50')
    .action(async (o: StoreOpts & { json?: boolean; limit: string }) => {
      const list = await withStore(o, (s) => s.listIncidents(Number(o.limit) || 50));
      if (o.json)
        return void process.stdout.write(`${JSON.stringify({ incidents: list }, null, 2)}\n`);
      if (list.length === 0) return void process.stdout.write('no incidents\n');
      for (const i of list)
        process.stdout.write(
          `${i.incidentId}  ${i.severity}  ${i.classification.padEnd(15)} ${i.status.padEnd(10)} ${String(i.alertIds.length).padStart(4)} alerts  opened ${i.openedAt}${i.drill ? '  (drill)' : ''}\n`,
        );
    });

  storeOptions(
    program.command('incident').description('one incident: alerts and timeline').argument('<id>'),
  )
    .option('--json', 'print JSON')
    .action(async (id: string, o: StoreOpts & { json?: boolean }) => {
      const doc = await withStore(o, async (s) => {
        const incident = await s.getIncident(id);
        if (!incident) throw new CliError(`no incident ${id}`, 1);
        const [alerts, timeline] = await Promise.all([s.listAlerts(id), s.readTimeline(id)]);
        return { incident, alerts, timeline, chain: verifyChain(timeline) };
      });
      if (o.json) return void process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      const i = doc.incident;
      const out = [
        `${i.incidentId}  ${i.severity} ${i.classification}  playbook ${i.playbook}  ${i.status}`,
        `  opened ${i.openedAt}  updated ${i.updatedAt}  severity rules ${i.severityRuleVersion}`,
        `  alerts (${doc.alerts.length})`,
        ...doc.alerts.map(
          (a) => `    ${a.occurredAt}  ${a.source.padEnd(16)} ${a.kind}  ${a.alertId}`,
        ),
        `  timeline (${doc.timeline.length} entries, chain ${doc.chain.verified ? 'verified' : 'BROKEN'})`,
        ...doc.timeline.map(
          (e) => `    ${String(e.seq).padStart(3)} ${e.at}  ${e.type.padEnd(22)} ${e.summary}`,
        ),
      ];
      process.stdout.write(`${out.join('\n')}\n`);
    });

  storeOptions(
    program
      .command('verify-timeline')
      .description('recompute the hash chain of an incident timeline')
      .argument('<id>'),
  )
    .option('--json', 'print JSON')
    .action(async (id: string, o: StoreOpts & { json?: boolean }) => {
      const entries = await withStore(o, (s) => s.readTimeline(id));
      if (entries.length === 0) throw new CliError(`no timeline for ${id}`, 1);
      const r = verifyChain(entries);
      if (o.json) process.stdout.write(`${JSON.stringify({ incidentId: id, ...r })}\n`);
      else if (r.verified)
        process.stdout.write(`${id}: ${r.entries} entries, hash chain verified, head ${r.head}\n`);
      else process.stdout.write(`${id}: hash chain BROKEN at entry ${r.brokenAt} (${r.reason})\n`);
      process.exitCode = r.verified ? 0 : 1;
    });
}
