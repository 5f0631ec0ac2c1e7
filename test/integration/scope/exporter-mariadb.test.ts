import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataMapSink, loadMapIndex } from '#adapters/file-data-map.ts';
import { FileFinancialRecords } from '#adapters/file-financial-records.ts';
import { assessLeakFile } from '#adapters/leak-file-reader.ts';
import { MysqlMagentoMapSource } from '#adapters/mysql-magento-map-source.ts';
import { TEST_HMAC_KEY, testHmac } from '#local/scope-fixtures.ts';
import type { Contact, ContactVault } from '#ports/data-map.ts';
import { exportDataMap } from '#use-cases/scope/export-data-map.ts';
import { MAGENTO_CUSTOMER_DDL as DDL } from '../../fixtures/magento-customer-ddl.ts';

/** The exporter against the real MariaDB on 127.0.0.1:3306 with Magento tables (reference §A.1). */

const db = `tourniquet_scope_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'scope-export-'));
let admin: mysql.Connection;
let pool: mysql.Pool;

beforeAll(async () => {
  admin = await mysql.createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
  });
  await admin.query(`CREATE DATABASE ${db}`);
  pool = mysql.createPool({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
    database: db,
    connectionLimit: 2,
  });
  for (const ddl of DDL) await pool.query(ddl);
  const T0 = '2024-01-01 10:00:00';
  await pool.query(
    `INSERT INTO customer_entity (entity_id, website_id, email, firstname, lastname, default_billing, updated_at, password_hash) VALUES
      (1,1,'Ana.One@Example.test','Ana','One',11,?, 'h'),(2,1,'bo.two@example.test','Bo','Two',NULL,?, 'h'),
      (3,2,'cy.three@example.test','Cy','Three',31,?, 'h'),(4,1,'di.four@example.test','Di','Four',NULL,?, 'h')`,
    [T0, T0, T0, T0],
  );
  await pool.query(
    `INSERT INTO customer_address_entity (entity_id, parent_id, country_id, region, city, updated_at) VALUES
      (10,1,'JP','', 'X',?),(11,1,'DE','Berlin','Berlin',?),(20,2,'US','California','LA',?),(31,3,'US','TX','Austin',?)`,
    [T0, T0, T0, T0],
  );
  await pool.query(
    `INSERT INTO sales_order (entity_id, increment_id, customer_id, customer_email, customer_is_guest, updated_at) VALUES
      (100,'000000100',1,'ana.one@example.test',0,?),(101,'000000101',3,'cy.three@example.test',0,?),
      (102,'000000102',NULL,'Guest.Five@example.test',1,?),(103,'000000103',NULL,'guest.five@example.test',1,?)`,
    [T0, T0, T0, T0],
  );
  await pool.query(
    `INSERT INTO sales_order_payment (entity_id, parent_id, method, cc_last_4) VALUES
      (500,100,'braintree','1111'),(501,101,'checkmo',NULL),(502,102,'paypal_express',NULL),(503,103,'checkmo',NULL)`,
  );
  await pool.query(
    `INSERT INTO sales_order_address (entity_id, parent_id, address_type, country_id, region, firstname) VALUES
      (900,102,'billing','FR','', 'Guest'),(901,103,'billing','IE','', 'Guest')`,
  );
  await pool.query(
    `INSERT INTO vault_payment_token (entity_id, customer_id, public_hash, payment_method_code, gateway_token, is_active, created_at) VALUES
      (700,1,'pub-1','braintree','gw-secret-1',1,'2024-01-01 09:00:00'),(701,3,'pub-3','braintree','gw-secret-3',0,'2024-01-01 09:00:00')`,
  );
}, 30_000);

afterAll(async () => {
  await pool?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

class MemoryVault implements ContactVault {
  readonly items = new Map<string, Contact>();
  async put(id: string, c: Contact) {
    this.items.set(id, c);
  }
  async get(id: string) {
    return this.items.get(id);
  }
}

describe('data map exporter against MariaDB', () => {
  const mapDir = join(dir, 'map');
  const hmac = testHmac();
  const ledgerFile = join(dir, 'ledger.csv');
  let clock = '2024-01-02T00:00:00.000Z';
  const vault = new MemoryVault();
  const deps = () => {
    writeFileSync(
      ledgerFile,
      `customer_id,email_hmac,ledger_account\n1,,LA-1\n,${hmac('guest.five@example.test')},LA-G5\n`,
    );
    return {
      source: new MysqlMagentoMapSource(pool),
      sink: new FileDataMapSink(mapDir),
      financial: new FileFinancialRecords(ledgerFile),
      contacts: vault,
      emailHmac: hmac,
      hmacKeyId: 'test-v1',
      now: () => clock,
    };
  };

  it('full export: customers, default-billing jurisdiction, orders, payments, vault, ledger, guests by hash', async () => {
    const out = await exportDataMap(deps(), { mode: 'full', batchSize: 2, storeContacts: true });
    expect(out).toMatchObject({
      mode: 'full',
      since: null,
      customers: 4,
      guests: 1,
      watermark: '2024-01-01 10:00:00',
    });
    const text = out.files.map((f) => readFileSync(join(mapDir, f), 'utf8')).join('');
    expect(text).not.toMatch(/example\.test|gw-secret/i);
    const records = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const one = records.find((r) => r.customerId === 1);
    expect(one).toMatchObject({
      recipientId: 'c:1',
      emailHmac: hmac('ana.one@example.test'),
      country: 'DE',
      region: 'Berlin',
      hasVaultTokens: true,
      orders: [{ orderId: 100, incrementId: '000000100', paymentId: 500, method: 'braintree' }],
      vaultTokens: [{ tokenId: 700, publicHash: 'pub-1', method: 'braintree' }],
      ledgerAccounts: ['LA-1'],
    });
    expect(records.find((r) => r.customerId === 2)).toMatchObject({
      country: 'US',
      region: 'California',
      orders: [],
    });
    expect(records.find((r) => r.customerId === 3)).toMatchObject({
      hasVaultTokens: false,
      websiteId: 2,
    });
    expect(records.find((r) => r.customerId === 4)).toMatchObject({ country: null });
    const guest = records.find((r) => r.kind === 'guest');
    expect(guest).toMatchObject({
      recipientId: `g:${hmac('guest.five@example.test')}`,
      customerId: null,
      country: 'IE',
      ledgerAccounts: ['LA-G5'],
    });
    expect(guest.orders.map((o: { orderId: number }) => o.orderId)).toEqual([102, 103]);
    expect(vault.items.get('c:1')?.email).toBe('ana.one@example.test');
  });

  it('incremental export reads only rows changed after the watermark; scope sees the change', async () => {
    await pool.query(
      `UPDATE customer_address_entity SET country_id='US', region='WA', updated_at='2024-02-01 00:00:00' WHERE entity_id=11`,
    );
    clock = '2024-02-02T00:00:00.000Z';
    const out = await exportDataMap(deps(), { mode: 'incremental' });
    expect(out).toMatchObject({
      mode: 'incremental',
      since: '2024-01-01 10:00:00',
      customers: 1,
      guests: 0,
      added: { customers: 0, guests: 0 },
    });
    const { index, manifest } = await loadMapIndex(mapDir);
    expect(manifest.files).toHaveLength(4);
    // a rewrite of a customer already in the map does not add to its totals
    expect(manifest).toMatchObject({ customers: 4, guests: 1 });
    expect(index.size).toBe(5);
    const leak = join(dir, 'customer_20240203_000000.csv');
    writeFileSync(
      leak,
      'email,_website,_store,firstname\nana.one@example.test,base,default,Ana\nGUEST.FIVE@example.test,base,default,G\n',
    );
    const { result } = await assessLeakFile(leak, { map: index, emailHmac: hmac });
    expect(result.subjects).toEqual([
      { country: 'IE', count: 1 },
      { country: 'US', region: 'WA', count: 1 },
    ]);
    expect(result.financialRecords).toMatchObject({ orders: 3, storedCards: 1, ledgerAccounts: 2 });
    expect(TEST_HMAC_KEY.length).toBeGreaterThan(16);
  });

  it('a second incremental run with no changes writes no records', async () => {
    clock = '2024-02-03T00:00:00.000Z';
    const out = await exportDataMap(deps(), { mode: 'incremental' });
    expect(out).toMatchObject({ customers: 0, guests: 0, files: [] });
  });

  it('a customer and a guest created after the watermark add to the map totals', async () => {
    await pool.query(
      `INSERT INTO customer_entity (entity_id, website_id, email, firstname, created_at, updated_at)
       VALUES (6,1,'new.six@example.test','Six','2024-02-04 00:00:00','2024-02-04 00:00:00')`,
    );
    await pool.query(
      `INSERT INTO sales_order (entity_id, increment_id, customer_id, customer_email, customer_is_guest, created_at, updated_at)
       VALUES (104,'000000104',NULL,'new.guest@example.test',1,'2024-02-04 00:00:00','2024-02-04 00:00:00')`,
    );
    clock = '2024-02-05T00:00:00.000Z';
    const out = await exportDataMap(deps(), { mode: 'incremental' });
    expect(out).toMatchObject({ customers: 1, guests: 1, added: { customers: 1, guests: 1 } });
    const { manifest } = await loadMapIndex(mapDir);
    expect(manifest).toMatchObject({ customers: 5, guests: 2 });
  });
});
