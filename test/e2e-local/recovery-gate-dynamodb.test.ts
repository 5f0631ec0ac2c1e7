import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoExposureLedger } from '#adapters/recovery/dynamo-exposure-ledger.ts';
import { fingerprint } from '#domain/recovery/scan.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';

/**
 * The DynamoDB path of the real recover.asl.json on the local runtime: dynalite has no
 * point-in-time recovery, so a copy of the table into a NEW table stands in for
 * RestoreTableToPointInTime (RECOVERY_DYNAMO_MODE=table-copy). The "production" table is the QA
 * fixtures table, a registered integration point of the qa-faker source
 * (config/synthetic-sources.json), that also received real customers' records exposed in the
 * incident and synthetic records of no registered source.
 */
const SOURCE = 'qa-customer-fixtures';
let rt: LocalRuntime;
let ddb: DynamoDBClient;
let store: DynamoIncidentStore;

const ITEMS = [
  { pk: 'cust', n: 1, email: 'c1@customers.fintech.test', exposed: true },
  { pk: 'cust', n: 2, email: "o'brien@customers.fintech.test", exposed: true },
  { pk: 'cust', n: 3, email: 'c3@customers.fintech.test' },
  { pk: 'qa', n: 4, email: 'fixture-4@qa.synthetic.example', synthetic_source: 'qa-faker' },
  { pk: 'qa', n: 5, email: 'c5@customers.fintech.test', synthetic_source: 'qa-faker' },
  { pk: 'gen', n: 6, email: 'gen-6@example.com' },
  { pk: 'ml', n: 7, email: 't7@customers.fintech.test', synthetic_batch: 'sb-2026-01' },
];

beforeAll(async () => {
  rt = await LocalRuntime.start({ stage: 'drill', startAt: new Date('2026-03-01T10:00:00Z') });
  const cfg = rt.awsConfig();
  ddb = new DynamoDBClient({
    region: cfg.region,
    endpoint: rt.endpoints.dynamodb,
    credentials: cfg.credentials,
  });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  await ddb.send(
    new CreateTableCommand({
      TableName: SOURCE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'n', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'n', KeyType: 'RANGE' },
      ],
    }),
  );
  const doc = rt.dynamo();
  for (const { exposed: _e, ...item } of ITEMS)
    await doc.send(new PutCommand({ TableName: SOURCE, Item: item }));
});
afterAll(async () => {
  const tables = await ddb?.send(new ListTablesCommand({})).catch(() => undefined);
  for (const t of tables?.TableNames ?? [])
    if (t.startsWith(SOURCE)) await ddb.send(new DeleteTableCommand({ TableName: t }));
  ddb?.destroy();
  await rt?.stop();
});

/** Runs the exact removal the gate listed: `aws dynamodb delete-item --table-name T --key '<json>'`. */
async function runRemoval(cmd: string) {
  const m = /^aws dynamodb delete-item --table-name (\S+) --key '(.+)'$/.exec(cmd);
  if (!m) throw new Error(`not a delete-item command: ${cmd}`);
  const key = m[2]!.replaceAll(`'\\''`, `'`);
  await ddb.send(new DeleteItemCommand({ TableName: m[1]!, Key: JSON.parse(key) }));
  return m[1]!;
}

describe('recovery gate, DynamoDB restore (table copy on dynalite)', () => {
  it('blocks a restore with exposed and unregistered synthetic items, removes exactly those, promotes after approval', async () => {
    const incidentId = `INC-20260301-${randomBytes(4).toString('hex')}`;
    const now = rt.clock.now().toISOString();
    await store.createIncident({
      incidentId,
      status: 'contained',
      classification: 'synthetic-data',
      severity: 'P2',
      severityRuleVersion: 'test',
      playbook: 'synthetic-data',
      correlationKeys: [],
      alertIds: [],
      openedAt: now,
      updatedAt: now,
      drill: true,
    });
    const key = rt.secret('RecoveryFingerprintKey');
    await new DynamoExposureLedger(rt.dynamo(), rt.tableName()).add(
      incidentId,
      ITEMS.filter((i) => i.exposed).map((i) => fingerprint(key, [i.email])),
    );

    const requests: Array<{ purpose: string; target?: string; remove?: string[] }> = [];
    const deletedFrom: string[] = [];
    rt.runner.tokenListeners.length = 0;
    rt.runner.tokenListeners.push((token, info) => {
      const p = (info.input?.Payload ?? info.input) as {
        purpose: string;
        target?: string;
        remove?: string[];
      };
      requests.push(p);
      void (async () => {
        if (p.purpose === 'remediation') {
          for (const cmd of p.remove ?? []) deletedFrom.push(await runRemoval(cmd));
          rt.runner.sendTaskSuccess(token, {
            confirmedBy: 'dba-on-call',
            removed: p.remove?.length,
          });
        } else
          rt.runner.sendTaskSuccess(token, {
            approver: 'ops-lead-4',
            decision: 'approved',
            reason: 'clean rescan',
          });
      })().catch((err) => rt.runner.sendTaskFailure(token, 'RetryableError', String(err)));
    });

    const ex = rt.startExecution('recover', { incidentId, kind: 'dynamodb', source: SOURCE });
    await ex.done;
    expect(ex.cause ?? null).toBeNull();
    expect(ex.status).toBe('SUCCEEDED');
    expect(requests.map((r) => r.purpose)).toEqual(['remediation', 'promotion']);

    // the isolated copy is a NEW table; production is never the target
    const target = requests[0]!.target!;
    expect(target).toMatch(/^qa-customer-fixtures-restore-[a-z0-9]+$/);
    const k = (pk: string, n: number) =>
      `aws dynamodb delete-item --table-name ${target} --key '{"pk":{"S":"${pk}"},"n":{"N":"${n}"}}'`;
    // (in the table's scan order)
    expect([...requests[0]!.remove!].sort()).toEqual(
      [k('cust', 1), k('cust', 2), k('gen', 6), k('ml', 7)].sort(),
    );
    expect(new Set(deletedFrom)).toEqual(new Set([target]));

    const scans = (await store.readTimeline(incidentId)).filter(
      (e) => e.type === 'recovery.gated' && e.data?.stage === 'scanned',
    );
    expect(scans.map((e) => e.data)).toMatchObject([
      {
        blocked: true,
        scanned: 7,
        counts: { exposed: 2, 'synthetic-unregistered': 2, 'synthetic-registered': 2, media: 0 },
      },
      {
        blocked: false,
        scanned: 3,
        counts: { exposed: 0, 'synthetic-unregistered': 0, 'synthetic-registered': 2, media: 0 },
      },
    ]);
    const findings = (
      scans[0]!.data as { findings: Array<{ kind: string; key: object; reason: string }> }
    ).findings;
    const byItem = (a: { key: object }, b: { key: object }) =>
      (a.key as { n: number }).n - (b.key as { n: number }).n;
    expect([...findings].sort(byItem).map((f) => [f.kind, f.key])).toEqual([
      ['exposed', { pk: 'cust', n: 1 }],
      ['exposed', { pk: 'cust', n: 2 }],
      ['synthetic-registered', { pk: 'qa', n: 4 }],
      ['synthetic-registered', { pk: 'qa', n: 5 }],
      ['synthetic-unregistered', { pk: 'gen', n: 6 }],
      ['synthetic-unregistered', { pk: 'ml', n: 7 }],
    ]);
    expect(findings.find((f) => f.key && (f.key as { n: number }).n === 7)?.reason).toMatch(
      /source fraud-model-training-set .* outside its integration points/,
    );
    // no personal data on the timeline
    expect(JSON.stringify(await store.readTimeline(incidentId))).not.toMatch(/customers\.fintech/);

    const tl = await store.readTimeline(incidentId);
    expect(tl.find((e) => e.data?.stage === 'promoted')?.data).toMatchObject({
      target,
      approver: 'ops-lead-4',
    });
    const actions = await store.listActions(incidentId);
    expect(actions.find((a) => a.action.startsWith('recovery.promote:'))).toMatchObject({
      status: 'executed',
      approval: { approver: 'ops-lead-4' },
    });
    expect(actions.find((a) => a.action.startsWith('recovery.remediate:'))?.status).toBe(
      'executed',
    );

    // production still holds every item; the promoted copy holds the clean and registered ones
    const count = async (t: string) =>
      (await rt.dynamo().send(new ScanCommand({ TableName: t }))).Items?.length;
    expect(await count(SOURCE)).toBe(7);
    expect(await count(target)).toBe(3);
  });
});
