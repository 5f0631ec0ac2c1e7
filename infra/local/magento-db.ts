import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type Connection, createConnection } from 'mysql2/promise';

/** The Magento tables the containment levers touch, from the columns in reference §A (types as in db_schema.xml). */
export const MAGENTO_DDL = [
  `CREATE TABLE admin_user (user_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, firstname VARCHAR(32), lastname VARCHAR(32), email VARCHAR(128), username VARCHAR(40) NOT NULL UNIQUE, password VARCHAR(255) NOT NULL, is_active SMALLINT NOT NULL DEFAULT 1, lock_expires TIMESTAMP NULL)`,
  `CREATE TABLE admin_user_session (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, session_id VARCHAR(1) NULL, user_id INT UNSIGNED NULL, status SMALLINT UNSIGNED NOT NULL DEFAULT 1, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, ip VARCHAR(15) NOT NULL, FOREIGN KEY (user_id) REFERENCES admin_user(user_id) ON DELETE CASCADE)`,
  `CREATE TABLE oauth_consumer (entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, \`key\` VARCHAR(32) NOT NULL UNIQUE, secret VARCHAR(32) NOT NULL UNIQUE, callback_url TEXT, rejected_callback_url TEXT NOT NULL)`,
  `CREATE TABLE oauth_token (entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, consumer_id INT UNSIGNED NULL, admin_id INT UNSIGNED NULL, customer_id INT UNSIGNED NULL, type VARCHAR(16) NOT NULL, token VARCHAR(32) NOT NULL UNIQUE, secret VARCHAR(32) NOT NULL, verifier VARCHAR(32), callback_url TEXT NOT NULL, revoked SMALLINT UNSIGNED NOT NULL DEFAULT 0, authorized SMALLINT UNSIGNED NOT NULL DEFAULT 0, user_type INT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (consumer_id) REFERENCES oauth_consumer(entity_id) ON DELETE CASCADE, FOREIGN KEY (admin_id) REFERENCES admin_user(user_id) ON DELETE CASCADE)`,
  `CREATE TABLE integration (integration_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, email VARCHAR(255) NOT NULL, endpoint VARCHAR(255), status SMALLINT UNSIGNED NOT NULL, consumer_id INT UNSIGNED NULL UNIQUE, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, setup_type SMALLINT UNSIGNED NOT NULL DEFAULT 0, identity_link_url VARCHAR(255), FOREIGN KEY (consumer_id) REFERENCES oauth_consumer(entity_id) ON DELETE CASCADE)`,
  `CREATE TABLE jwt_auth_revoked (user_type_id INT UNSIGNED NOT NULL, user_id INT UNSIGNED NOT NULL, revoke_before BIGINT UNSIGNED NOT NULL, PRIMARY KEY (user_type_id, user_id))`,
  // Catalog gallery (Magento_Catalog db_schema.xml, trimmed): the media listing and the
  // media.disable-catalog-image lever.
  `CREATE TABLE catalog_product_entity_media_gallery (value_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, attribute_id SMALLINT UNSIGNED NOT NULL DEFAULT 90, value VARCHAR(255), media_type VARCHAR(32) NOT NULL DEFAULT 'image', disabled SMALLINT UNSIGNED NOT NULL DEFAULT 0)`,
  `CREATE TABLE catalog_product_entity_media_gallery_value (record_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, value_id INT UNSIGNED NOT NULL DEFAULT 0, store_id SMALLINT UNSIGNED NOT NULL DEFAULT 0, entity_id INT UNSIGNED NOT NULL DEFAULT 0, label VARCHAR(255), position INT UNSIGNED, disabled SMALLINT UNSIGNED NOT NULL DEFAULT 0, FOREIGN KEY (value_id) REFERENCES catalog_product_entity_media_gallery(value_id) ON DELETE CASCADE)`,
];

/** The catalog gallery tables (media listing; deepfake playbook lever). */
export const GALLERY_TABLES = [
  'catalog_product_entity_media_gallery',
  'catalog_product_entity_media_gallery_value',
] as const;

export const MAGENTO_TABLES = [
  'admin_user',
  'admin_user_session',
  'oauth_consumer',
  'oauth_token',
  'integration',
  'jwt_auth_revoked',
  ...GALLERY_TABLES,
] as const;

export const MARIADB_ROOT = {
  host: process.env.TOURNIQUET_MARIADB_HOST ?? '127.0.0.1',
  port: Number(process.env.TOURNIQUET_MARIADB_PORT ?? 3306),
  user: process.env.TOURNIQUET_MARIADB_USER ?? 'root',
  password: process.env.TOURNIQUET_MARIADB_PASSWORD ?? '',
};

/** Seed rows of the Magento tables (a drill scenario's `seed.magentoDb`). */
export type MagentoSeed = Partial<
  Record<(typeof MAGENTO_TABLES)[number], Array<Record<string, unknown>>>
>;

/**
 * A TCP proxy in front of MariaDB that the functions connect through: switched `down`, it drops
 * every connection (open and new), so the Magento database is unreachable for the functions
 * while the drill/test harness still reaches MariaDB directly.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  down = false;
  port = 0;
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  setDown(down = true): void {
    this.down = down;
    if (down) for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/**
 * A per-runtime Magento database on the machine's MariaDB: the tables the levers touch, a
 * least-privilege user (SELECT/UPDATE; INSERT/DELETE on jwt_auth_revoked only; on the gallery:
 * SELECT, and UPDATE of `disabled` on the value table), a read-only media-listing user (SELECT on
 * the two gallery tables), a TCP proxy the functions connect through. `start()` never throws when
 * MariaDB is unreachable: `available` is false and the functions' database levers fail (and
 * escalate) like against a dead server.
 */
export class LocalMagentoDatabase {
  readonly database = `tourniquet_rt_${randomBytes(5).toString('hex')}`;
  readonly user = `tq_rt_${randomBytes(4).toString('hex')}`;
  private readonly password = randomBytes(12).toString('hex');
  readonly listingUser = `tq_ls_${randomBytes(4).toString('hex')}`;
  private readonly listingPassword = randomBytes(12).toString('hex');
  readonly proxy = new TcpProxy(MARIADB_ROOT.host, MARIADB_ROOT.port);
  available = false;
  unavailableReason = '';

  async start(): Promise<void> {
    await this.proxy.start();
    let c: Connection | undefined;
    try {
      c = await createConnection({ ...MARIADB_ROOT, connectTimeout: 3000 });
      await c.query(`CREATE DATABASE \`${this.database}\``);
      await c.query(`USE \`${this.database}\``);
      for (const ddl of MAGENTO_DDL) await c.query(ddl);
      await c.query(`CREATE USER '${this.user}'@'%' IDENTIFIED BY '${this.password}'`);
      for (const t of ['oauth_token', 'admin_user', 'admin_user_session', 'integration'])
        await c.query(`GRANT SELECT, UPDATE ON \`${this.database}\`.${t} TO '${this.user}'@'%'`);
      await c.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${this.database}\`.jwt_auth_revoked TO '${this.user}'@'%'`,
      );
      const [gallery, values] = GALLERY_TABLES;
      await c.query(`GRANT SELECT ON \`${this.database}\`.${gallery} TO '${this.user}'@'%'`);
      await c.query(
        `GRANT SELECT, UPDATE (disabled) ON \`${this.database}\`.${values} TO '${this.user}'@'%'`,
      );
      await c.query(
        `CREATE USER '${this.listingUser}'@'%' IDENTIFIED BY '${this.listingPassword}'`,
      );
      for (const t of GALLERY_TABLES)
        await c.query(`GRANT SELECT ON \`${this.database}\`.${t} TO '${this.listingUser}'@'%'`);
      this.available = true;
    } catch (err) {
      this.unavailableReason = `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`;
    } finally {
      await c?.end().catch(() => undefined);
    }
  }

  /** What the Magento DB secret holds for the functions (through the proxy). */
  credentials() {
    return {
      host: '127.0.0.1',
      port: this.proxy.port,
      user: this.user,
      password: this.password,
      database: this.database,
    };
  }

  /** What the media-listing DB secret holds (read-only user, through the proxy). */
  listingCredentials() {
    return { ...this.credentials(), user: this.listingUser, password: this.listingPassword };
  }

  /** A root connection to this database (harness side: seed, dump, assert). */
  async connect(): Promise<Connection> {
    return createConnection({ ...MARIADB_ROOT, database: this.database });
  }

  async seed(seed: MagentoSeed): Promise<void> {
    if (!this.available) return;
    const c = await this.connect();
    try {
      for (const table of MAGENTO_TABLES) {
        for (const row of seed[table] ?? []) {
          const cols = Object.keys(row);
          await c.query(
            `INSERT INTO ${table} (${cols.map((k) => `\`${k}\``).join(', ')}) VALUES (?)`,
            [cols.map((k) => row[k])],
          );
        }
      }
    } finally {
      await c.end();
    }
  }

  /** Every row of the lever tables, ordered (to compare pre-state and release). */
  async dump(): Promise<Record<string, unknown[]>> {
    const c = await this.connect();
    try {
      const out: Record<string, unknown[]> = {};
      for (const t of MAGENTO_TABLES) {
        const [rows] = await c.query(`SELECT * FROM ${t} ORDER BY 1, 2`);
        out[t] = JSON.parse(JSON.stringify(rows));
      }
      return out;
    } finally {
      await c.end();
    }
  }

  async stop(): Promise<void> {
    await this.proxy.stop();
    if (!this.available) return;
    const c = await createConnection({ ...MARIADB_ROOT, connectTimeout: 3000 }).catch(
      () => undefined,
    );
    if (!c) return;
    await c.query(`DROP DATABASE IF EXISTS \`${this.database}\``).catch(() => undefined);
    await c.query(`DROP USER IF EXISTS '${this.user}'@'%'`).catch(() => undefined);
    await c.query(`DROP USER IF EXISTS '${this.listingUser}'@'%'`).catch(() => undefined);
    await c.end().catch(() => undefined);
  }
}
