import {
  DescribeDBInstancesCommand,
  type RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { RestoredRecord } from '#domain/recovery/scan.ts';
import type { IsolatedRestorer, RestoreHandle, RestoreRequest } from '#ports/recovery.ts';

const ident = (s: string) => {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(s))
    throw new Error(`invalid SQL identifier '${s.slice(0, 70)}'`);
  return `\`${s}\``;
};

/** Reads the listed tables of a (restored) Magento database as records keyed by primary key. */
export async function* readMagentoTables(
  conn: Connection,
  database: string,
  tables: string[],
): AsyncIterable<RestoredRecord> {
  for (const table of tables) {
    const [exists] = await conn.query<RowDataPacket[]>(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [database, table],
    );
    if (exists.length === 0) continue;
    const [pk] = await conn.query<RowDataPacket[]>(
      `SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
      [database, table],
    );
    const keys = pk.map((r) => String(r.c));
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT * FROM ${ident(database)}.${ident(table)}`,
    );
    for (const row of rows)
      yield {
        location: `magento:${table}`,
        key: Object.fromEntries(keys.map((k) => [k, row[k] as string | number])),
        fields: { ...row },
      };
  }
}

export interface RdsRestoreSettings {
  /** The isolated security group: no ingress from the storefront or the internet. */
  isolatedSecurityGroupId: string;
  subnetGroupName: string;
  instanceClass?: string;
  /** Magento schema name inside the instance. */
  database: string;
  /** Opens a connection (least-privilege reader from Secrets Manager) to a restored instance. */
  connect: (host: string, port: number) => Promise<Connection>;
}

/**
 * The Magento database restored from an RDS snapshot into a NEW instance in an isolated security
 * group (not publicly accessible, no deletion protection, tagged with the restore id).
 */
export class RdsSnapshotRestorer implements IsolatedRestorer {
  readonly kind = 'magento-db' as const;
  constructor(
    private readonly rds: RDSClient,
    private readonly settings: RdsRestoreSettings,
  ) {}

  async start(req: RestoreRequest): Promise<RestoreHandle> {
    if (!req.snapshotId) throw new Error('an RDS restore needs snapshotId');
    await this.rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: req.target,
        DBSnapshotIdentifier: req.snapshotId,
        DBSubnetGroupName: this.settings.subnetGroupName,
        VpcSecurityGroupIds: [this.settings.isolatedSecurityGroupId],
        PubliclyAccessible: false,
        MultiAZ: false,
        DeletionProtection: false,
        ...(this.settings.instanceClass ? { DBInstanceClass: this.settings.instanceClass } : {}),
        Tags: [
          { Key: 'tourniquet:restore', Value: req.restoreId },
          { Key: 'tourniquet:isolated', Value: 'true' },
        ],
      }),
    );
    return { kind: this.kind, target: req.target, status: 'creating' };
  }

  private async describe(target: string) {
    const r = await this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target }));
    return r.DBInstances?.[0];
  }

  async status(target: string): Promise<RestoreHandle> {
    const db = await this.describe(target);
    const s = db?.DBInstanceStatus ?? 'unknown';
    const isolated =
      db?.VpcSecurityGroups?.every(
        (g) => g.VpcSecurityGroupId === this.settings.isolatedSecurityGroupId,
      ) ?? false;
    if (s === 'available' && !isolated)
      return {
        kind: this.kind,
        target,
        status: 'failed',
        detail: 'restored instance is not isolated',
      };
    return {
      kind: this.kind,
      target,
      status:
        s === 'available'
          ? 'available'
          : /fail|incompatible|storage-full/.test(s)
            ? 'failed'
            : 'creating',
      detail: s,
    };
  }

  async *read(target: string, tables: string[] = []): AsyncIterable<RestoredRecord> {
    const db = await this.describe(target);
    if (!db?.Endpoint?.Address) throw new Error(`restored instance ${target} has no endpoint yet`);
    const conn = await this.settings.connect(db.Endpoint.Address, db.Endpoint.Port ?? 3306);
    try {
      yield* readMagentoTables(conn, this.settings.database, tables);
    } finally {
      await conn.end();
    }
  }
}

/**
 * A copy of the Magento database into a new database on the same server: the local runtime's
 * stand-in for the RDS snapshot restore (MariaDB on 127.0.0.1:3306).
 */
export class DatabaseCopyRestorer implements IsolatedRestorer {
  readonly kind = 'magento-db' as const;
  constructor(
    private readonly connect: () => Promise<Connection>,
    private readonly tables: string[],
  ) {}

  async start(req: RestoreRequest): Promise<RestoreHandle> {
    if (req.target === req.source) throw new Error('restore target must not be the source');
    const conn = await this.connect();
    try {
      await conn.query(`CREATE DATABASE ${ident(req.target)}`);
      for (const t of this.tables) {
        const [exists] = await conn.query<RowDataPacket[]>(
          'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
          [req.source, t],
        );
        if (exists.length === 0) continue;
        await conn.query(
          `CREATE TABLE ${ident(req.target)}.${ident(t)} LIKE ${ident(req.source)}.${ident(t)}`,
        );
        await conn.query(
          `INSERT INTO ${ident(req.target)}.${ident(t)} SELECT * FROM ${ident(req.source)}.${ident(t)}`,
        );
      }
    } finally {
      await conn.end();
    }
    return { kind: this.kind, target: req.target, status: 'available' };
  }

  async status(target: string): Promise<RestoreHandle> {
    const conn = await this.connect();
    try {
      const [r] = await conn.query<RowDataPacket[]>(
        'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [target],
      );
      return { kind: this.kind, target, status: r.length ? 'available' : 'failed' };
    } finally {
      await conn.end();
    }
  }

  async *read(target: string, tables: string[] = this.tables): AsyncIterable<RestoredRecord> {
    const conn = await this.connect();
    try {
      yield* readMagentoTables(conn, target, tables);
    } finally {
      await conn.end();
    }
  }
}
