import { randomBytes } from 'node:crypto';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoExposureLedger } from '#adapters/recovery/dynamo-exposure-ledger.ts';
import { fingerprint } from '#domain/recovery/scan.ts';
import { LOCAL_RECOVERY_DB, LocalRuntime } from '../../infra/local/runtime.ts';

/** The real recover.asl.json on the local runtime, restoring Magento databases on the MariaDB server. */
let rt: LocalRuntime;
let conn: Connection;
let store: DynamoIncidentStore;
const made: string[] = [];
let promotedIncident = '';

beforeAll(async () => {
  rt = await LocalRuntime.start({ stage: 'drill', startAt: new Date('2026-03-01T10:00:00Z') });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  conn = await createConnection({ ...LOCAL_RECOVERY_DB, database: undefined });
});
afterAll(async () => {
  for (const d of made) {
    const [rows] = await conn.query<any[]>(
      'SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
      [`${d.replace(/_/g, '')}\\_restore\\_%`],
    );
    for (const r of [{ s: d }, ...rows]) await conn.query(`DROP DATABASE IF EXISTS \`${r.s}\``);
  }
  await conn?.end();
  await rt?.stop();
});

async function incidentWithProduction(
  rows: Array<{ email: string; synthetic_source?: string; exposed?: boolean }>,
) {
  const incidentId = `INC-20260301-${randomBytes(4).toString('hex')}`;
  await store.createIncident({
    incidentId,
    status: 'contained',
    classification: 'synthetic-data',
    severity: 'P2',
    severityRuleVersion: 'test',
    playbook: 'synthetic-data',
    correlationKeys: [],
    alertIds: [],
    openedAt: rt.clock.now().toISOString(),
    updatedAt: rt.clock.now().toISOString(),
    drill: true,
  });
  const db = `tq_prod_${randomBytes(4).toString('hex')}`;
  made.push(db);
  await conn.query(`CREATE DATABASE ${db}`);
  await conn.query(
    `CREATE TABLE ${db}.customer_entity (entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL, lastname VARCHAR(255) NULL, synthetic_source VARCHAR(64) NULL)`,
  );
  for (const r of rows)
    await conn.query(`INSERT INTO ${db}.customer_entity (email, synthetic_source) VALUES (?, ?)`, [
      r.email,
      r.synthetic_source ?? null,
    ]);
  const key = rt.secret('RecoveryFingerprintKey');
  await new DynamoExposureLedger(rt.dynamo(), rt.tableName()).add(
    incidentId,
    rows.filter((r) => r.exposed).map((r) => fingerprint(key, [r.email])),
  );
  return { incidentId, db };
}

function answer(
  decide: (payload: {
    purpose: string;
    remove?: string[];
  }) => { ok: true; output: unknown } | { ok: false },
) {
  const seen: Array<{ purpose: string; remove?: string[] }> = [];
  rt.runner.tokenListeners.length = 0;
  rt.runner.tokenListeners.push((token, info) => {
    const p = (info.input?.Payload ?? info.input) as { purpose: string; remove?: string[] };
    seen.push(p);
    const d = decide(p);
    queueMicrotask(() =>
      d.ok
        ? rt.runner.sendTaskSuccess(token, d.output as any)
        : rt.runner.sendTaskFailure(token, 'ApprovalRejectedError', 'operator declined'),
    );
  });
  return seen;
}

describe('recovery gate (recover.asl.json, local runtime)', () => {
  it('blocks a restore that carries exposed and unregistered synthetic records, listing exactly what to remove', async () => {
    const { incidentId, db } = await incidentWithProduction([
      { email: 'c1@customers.fintech.test' },
      { email: 'c2@customers.fintech.test', exposed: true },
      { email: 'gen-5@example.com' },
    ]);
    const seen = answer(() => ({ ok: false }));
    const ex = rt.startExecution('recover', { incidentId, kind: 'magento-db', source: db });
    await ex.done;
    expect(ex.status).toBe('FAILED');
    expect(seen.map((s) => s.purpose)).toEqual(['remediation']);
    expect(seen[0]!.remove).toEqual([
      'DELETE FROM `customer_entity` WHERE `entity_id` = 2;',
      'DELETE FROM `customer_entity` WHERE `entity_id` = 3;',
    ]);
    const tl = await store.readTimeline(incidentId);
    const scan = tl.find((e) => e.type === 'recovery.gated' && e.data?.stage === 'scanned')!;
    expect(scan.data).toMatchObject({
      blocked: true,
      scanned: 3,
      counts: { exposed: 1, 'synthetic-unregistered': 1 },
    });
    expect(JSON.stringify(tl)).not.toContain('c2@customers');
    expect(tl.some((e) => e.data?.stage === 'promoted')).toBe(false);
    // production was never written: the source still holds every row
    const [rows] = await conn.query<any[]>(`SELECT COUNT(*) AS n FROM ${db}.customer_entity`);
    expect(rows[0].n).toBe(3);
  });

  it('promotes a clean restore only after an approval, recording the approver', async () => {
    const { incidentId, db } = await incidentWithProduction([
      { email: 'c7@customers.fintech.test' },
      { email: 'c8@customers.fintech.test' },
    ]);
    promotedIncident = incidentId;
    const seen = answer(() => ({
      ok: true,
      output: { approver: 'ops-lead-7', decision: 'approved' },
    }));
    const ex = rt.startExecution('recover', { incidentId, kind: 'magento-db', source: db });
    await ex.done;
    expect(ex.status).toBe('SUCCEEDED');
    expect(seen.map((s) => s.purpose)).toEqual(['promotion']);
    const tl = await store.readTimeline(incidentId);
    expect(tl.find((e) => e.data?.stage === 'scanned')?.data).toMatchObject({
      blocked: false,
      scanned: 2,
    });
    expect(tl.find((e) => e.data?.stage === 'promoted')?.data).toMatchObject({
      approver: 'ops-lead-7',
    });
    const actions = await store.listActions(incidentId);
    expect(actions.find((a) => a.action.startsWith('recovery.promote:'))).toMatchObject({
      status: 'executed',
      approval: { approver: 'ops-lead-7' },
    });
  });

  it('`tourniquet report` renders the incident from the local runtime (Markdown + HTML, chain verified)', async () => {
    const { main } = await import('../../cli/main.ts');
    const dir = await import('node:fs').then((fs) => fs.mkdtempSync('/tmp/tq-report-cli-'));
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      out.push(String(chunk));
      return true;
    }) as never;
    let code: number;
    try {
      code = await main([
        'node',
        'tourniquet',
        'report',
        promotedIncident,
        '--endpoint',
        rt.endpoints.dynamodb!,
        '--table',
        rt.tableName(),
        '--html',
        `${dir}/r.html`,
      ]);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    expect(code, out.join('').slice(0, 300)).toBe(0);
    const md = out.join('');
    expect(md).toContain(`# Incident ${promotedIncident} (drill)`);
    expect(md).toMatch(/Timeline hash chain: verified \(\d+ entries\)/);
    expect(md).toContain('recovery.promote:');
    const html = (await import('node:fs')).readFileSync(`${dir}/r.html`, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('c7@customers');
  });
});
