import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlMagentoDatabase } from '#adapters/magento-db.ts';
import { StorefrontUnavailableError } from '#runtime/errors.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from '#use-cases/containment/levers.ts';
import { MAGENTO_DDL } from '../../../infra/local/magento-db.ts';

const ROOT = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const suffix = randomBytes(4).toString('hex');
const database = `tourniquet_test_${suffix}`;
const leastUser = `tq_contain_${suffix}`;
const leastPassword = randomBytes(12).toString('hex');

async function dump(db: string) {
  const c = await createConnection({ ...ROOT, database: db });
  const out: Record<string, unknown> = {};
  for (const t of [
    'admin_user',
    'admin_user_session',
    'oauth_token',
    'integration',
    'jwt_auth_revoked',
  ]) {
    const [rows] = await c.query(`SELECT * FROM ${t} ORDER BY 1, 2`);
    out[t] = JSON.parse(JSON.stringify(rows));
  }
  await c.end();
  return out;
}

describe('Magento database levers (real MariaDB, least-privilege user)', () => {
  let mdb: MySqlMagentoDatabase;
  let ports: LeverPorts;
  const target: LeverTarget = {
    incidentId: 'INC-DB-1',
    customerIds: ['magento:7', 'stripe:cus_x'],
    cardFingerprints: [],
    paymentIntents: [],
    adminUsers: ['exporter'],
    integrations: ['shady-extension', 'payments-module'],
  };

  beforeAll(async () => {
    const c = await createConnection({ ...ROOT, multipleStatements: true });
    await c.query(`CREATE DATABASE \`${database}\``);
    await c.query(`USE \`${database}\``);
    for (const ddl of MAGENTO_DDL) await c.query(ddl);
    await c.query(
      `INSERT INTO admin_user (user_id, username, password, is_active) VALUES (1,'exporter','x',1),(2,'owner','x',1)`,
    );
    await c.query(
      `INSERT INTO admin_user_session (id, user_id, status, ip) VALUES (10,1,1,'203.0.113.9'),(11,1,0,'198.51.100.1'),(12,2,1,'192.0.2.1')`,
    );
    await c.query(
      `INSERT INTO oauth_consumer (entity_id, name, \`key\`, secret, rejected_callback_url) VALUES (1,'shady','k1${suffix}','s1${suffix}',''),(2,'pay','k2${suffix}','s2${suffix}','')`,
    );
    await c.query(
      `INSERT INTO integration (integration_id, name, email, status, consumer_id) VALUES (1,'shady-extension','x@example.invalid',1,1),(2,'payments-module','y@example.invalid',1,2)`,
    );
    await c.query(
      `INSERT INTO oauth_token (entity_id, consumer_id, admin_id, customer_id, type, token, secret, callback_url, revoked, user_type) VALUES
       (1,1,NULL,NULL,'access','t1${suffix}','s','',0,1),(2,2,NULL,NULL,'access','t2${suffix}','s','',0,1),
       (3,NULL,1,NULL,'access','t3${suffix}','s','',0,2),(4,NULL,NULL,7,'access','t4${suffix}','s','',0,3),
       (5,NULL,NULL,7,'access','t5${suffix}','s','',1,3),(6,NULL,2,NULL,'access','t6${suffix}','s','',0,2)`,
    );
    await c.query(
      `INSERT INTO jwt_auth_revoked (user_type_id, user_id, revoke_before) VALUES (3,7,1000)`,
    );
    await c.query(`CREATE USER '${leastUser}'@'%' IDENTIFIED BY '${leastPassword}'`);
    for (const t of ['oauth_token', 'admin_user', 'admin_user_session', 'integration'])
      await c.query(`GRANT SELECT, UPDATE ON \`${database}\`.${t} TO '${leastUser}'@'%'`);
    await c.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.jwt_auth_revoked TO '${leastUser}'@'%'`,
    );
    await c.end();
    mdb = new MySqlMagentoDatabase(async () => ({
      host: '127.0.0.1',
      port: 3306,
      user: leastUser,
      password: leastPassword,
      database,
    }));
    ports = {
      stripeKnownWebhookUrls: [],
      stripeBlockListId: 'x',
      magentoDb: mdb,
      magentoConfig: {
        paymentMethods: [],
        maintenanceAllowIps: [],
        protectedIntegrations: ['payments-module'],
      },
      now: () => new Date('2026-11-29T10:00:00Z'),
    };
  });

  afterAll(async () => {
    await mdb?.close();
    const c = await createConnection(ROOT);
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.query(`DROP USER IF EXISTS '${leastUser}'@'%'`);
    await c.end();
  });

  it('the least-privilege user cannot read token secrets or touch other tables', async () => {
    const c = await createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: leastUser,
      password: leastPassword,
      database,
    });
    await expect(c.query('DELETE FROM admin_user WHERE user_id = 2')).rejects.toThrow(/denied/i);
    await expect(c.query('CREATE TABLE x (a INT)')).rejects.toThrow(/denied/i);
    await c.end();
  });

  for (const action of [
    'magento.deactivate-admin-users',
    'magento.revoke-oauth-tokens',
    'magento.revoke-jwt',
    'magento.disable-integrations',
  ]) {
    it(`${action}: snapshot → act → verify → idempotent → release restores the rows exactly`, async () => {
      const lever = LEVERS[action]!;
      const before = await dump(database);
      const pre = await lever.snapshot(ports, target);
      const { changed, result } = await lever.act(ports, target, pre);
      expect(changed).toBeGreaterThan(0);
      const v = await lever.verify(ports, target, pre, result);
      expect(v.ok, v.detail).toBe(true);
      const after = await dump(database);
      expect(after).not.toEqual(before);
      // acting again from the same snapshot changes nothing new in the database
      await lever.act(ports, target, await lever.snapshot(ports, target));
      const { restored } = await lever.release(ports, target, pre, result);
      expect(restored).toBe(changed);
      expect(await dump(database)).toEqual(before);
    });
  }

  it('touches only what is in scope (protected integration, other admins, other customers)', async () => {
    const pre = await LEVERS['magento.revoke-oauth-tokens']!.snapshot(ports, target);
    const { result } = await LEVERS['magento.revoke-oauth-tokens']!.act(ports, target, pre);
    expect((result as { revoked: number[] }).revoked).toEqual([1, 3, 4]);
    const admins = await LEVERS['magento.deactivate-admin-users']!.snapshot(ports, target);
    expect(admins.sessions.map((s: { id: number }) => s.id)).toEqual([10, 11]);
    await LEVERS['magento.revoke-oauth-tokens']!.release(ports, target, pre, result);
  });

  it('an unreachable database is a StorefrontUnavailableError (the step escalates)', async () => {
    const down = new MySqlMagentoDatabase(async () => ({
      host: '127.0.0.1',
      port: 1,
      user: 'x',
      password: 'y',
      database: 'z',
    }));
    await expect(down.adminUsers(['exporter'])).rejects.toBeInstanceOf(StorefrontUnavailableError);
    await down.close();
  });
});
