import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoExposureLedger } from '#adapters/recovery/dynamo-exposure-ledger.ts';
import { BUS_NAME } from '#contracts/events.ts';
import { fingerprint } from '#domain/recovery/scan.ts';
import { LOCAL_RECOVERY_DB, type LocalRuntime } from './runtime.ts';
import type { Scenario } from './scenario.ts';

type Step = Scenario['inject'][number];
type Injector = (
  rt: LocalRuntime,
  step: Step,
  at: Date,
) => Promise<{ statusCode: number; body: string }>;

interface SeedRow {
  table: 'customer_entity' | 'qa_customer_fixture';
  email: string;
  lastname?: string;
  synthetic_source?: string;
  /** Recorded as exposed in the incident (the scope assessment's fingerprints). */
  exposed?: boolean;
}

const db = () =>
  createConnection({
    host: LOCAL_RECOVERY_DB.host,
    port: LOCAL_RECOVERY_DB.port,
    user: LOCAL_RECOVERY_DB.user,
    password: LOCAL_RECOVERY_DB.password,
    multipleStatements: false,
  });

const TABLE_DDL = (name: string) =>
  `CREATE TABLE ${name} (entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL, firstname VARCHAR(255) NULL, lastname VARCHAR(255) NULL, synthetic_source VARCHAR(64) NULL, website_id SMALLINT UNSIGNED NOT NULL DEFAULT 1) ENGINE=InnoDB`;

/**
 * Drill injectors of the recovery gate:
 * - `alert-event`: a normalised Alert put on the bus by an internal detector (triage runs for real);
 * - `recovery-restore`: seeds a "production" Magento database on the MariaDB server, records the
 *   incident's exposed fingerprints, runs the real `recover` machine against it and answers its
 *   task tokens like an operator: removes exactly what a blocked restore lists, then approves.
 */
export const RECOVERY_INJECTORS: Record<string, Injector> = {
  'alert-event': async (rt, step, at) => {
    const e = (step.event ?? {}) as Record<string, unknown>;
    const detail = {
      schemaVersion: 1,
      alertId: String(e.alertId ?? `drill:${randomBytes(6).toString('hex')}`),
      source: 'drill',
      kind: String(e.kind),
      severityHint: String(e.severityHint ?? 'high'),
      occurredAt: at.toISOString(),
      receivedAt: at.toISOString(),
      sourceEventId: String(e.alertId ?? 'drill'),
      summary: String(e.summary ?? e.kind),
      correlationKeys: (e.correlationKeys as object) ?? {},
      evidence: { sha256: '0'.repeat(64), bytes: 0 },
      drill: true,
    };
    const eb = new EventBridgeClient({ ...rt.awsConfig(), endpoint: rt.endpoints.eventbridge });
    const r = await eb.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: BUS_NAME,
            Source: 'tourniquet.drill',
            DetailType: 'Alert',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    eb.destroy();
    await rt.idle();
    return {
      statusCode: r.FailedEntryCount ? 500 : 200,
      body: JSON.stringify({ alertId: detail.alertId }),
    };
  },

  'recovery-restore': async (rt, step) => {
    const e = (step.event ?? {}) as { rows?: SeedRow[] };
    const rows = e.rows ?? [];
    await rt.idle();
    const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
    const incident = (await store.listIncidents(1))[0];
    if (!incident) return { statusCode: 409, body: 'no incident to recover from' };
    const source = `tq_prod_${randomBytes(4).toString('hex')}`;
    const conn = await db();
    const dropped: string[] = [source];
    try {
      await conn.query(`CREATE DATABASE ${source}`);
      for (const t of ['customer_entity', 'qa_customer_fixture'])
        await conn.query(TABLE_DDL(`${source}.${t}`));
      for (const r of rows)
        await conn.query(
          `INSERT INTO ${source}.${r.table} (email, firstname, lastname, synthetic_source) VALUES (?, ?, ?, ?)`,
          [r.email, 'Drill', r.lastname ?? 'Customer', r.synthetic_source ?? null],
        );
      // What scope assessment hands over: keyed fingerprints of the exposed records.
      const key = rt.secret('RecoveryFingerprintKey');
      await new DynamoExposureLedger(rt.dynamo(), rt.tableName()).add(
        incident.incidentId,
        rows.filter((r) => r.exposed).map((r) => fingerprint(key, [r.email])),
      );
      const removed: string[] = [];
      const approvals: string[] = [];
      rt.runner.tokenListeners.push((token, info) => {
        const p = (info.input?.Payload ?? info.input) as {
          purpose?: string;
          remove?: string[];
          target?: string;
        };
        if (!p.purpose) return;
        void (async () => {
          if (p.purpose === 'remediation') {
            dropped.push(p.target!);
            const c = await db();
            try {
              await c.query(`USE \`${p.target}\``);
              for (const stmt of p.remove ?? []) {
                await c.query(stmt);
                removed.push(stmt);
              }
            } finally {
              await c.end();
            }
            rt.runner.sendTaskSuccess(token, {
              confirmedBy: 'drill-operator',
              removed: p.remove?.length ?? 0,
            });
          } else {
            approvals.push(String(p.purpose));
            rt.runner.sendTaskSuccess(token, {
              approver: 'drill-operator',
              decision: 'approved',
              reason: 'drill: clean restore',
            });
          }
        })().catch((err) =>
          rt.runner.sendTaskFailure(token, 'RetryableError', String((err as Error).message)),
        );
      });
      const machine = rt.app
        .resources('AWS::StepFunctions::StateMachine')
        .map((m) => rt.app.stateMachineName(m.stack, m.logicalId))
        .find((n) => n === 'recover' || /Recover/.test(n));
      if (!machine) return { statusCode: 501, body: 'no recover state machine in the template' };
      const exec = rt.startExecution(machine, {
        incidentId: incident.incidentId,
        kind: 'magento-db',
        source,
        drill: true,
      });
      await exec.done;
      const status = exec.status;
      return {
        statusCode: status === 'SUCCEEDED' ? 200 : 500,
        body: JSON.stringify({
          status,
          removed: removed.length,
          approvals,
          error: exec.error ?? null,
          cause: exec.cause?.slice(0, 400) ?? null,
        }),
      };
    } finally {
      // the isolated copies of this drill's source too (a clean restore is never remediated)
      const [copies] = await conn.query<RowDataPacket[]>(
        'SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
        [`${source.replace(/_/g, '')}\\_restore\\_%`],
      );
      for (const c of copies) dropped.push(String(c.s));
      for (const d of new Set(dropped))
        await conn.query(`DROP DATABASE IF EXISTS \`${d}\``).catch(() => undefined);
      await conn.end();
    }
  },
};
