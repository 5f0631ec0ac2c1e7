import type { Pool, PoolOptions, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { createPool } from 'mysql2/promise';
import type { MagentoDatabase } from '#ports/magento.ts';
import { StorefrontUnavailableError } from '#runtime/errors.ts';

export interface MagentoDbCredentials {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ENOTFOUND',
]);

/**
 * A connection failure of a Magento database (primary or replica) as StorefrontUnavailableError,
 * so callers escalate instead of guessing; undefined for any other error.
 */
export function magentoUnreachable(
  err: unknown,
  label = 'Magento database',
): StorefrontUnavailableError | undefined {
  const code = (err as { code?: string }).code ?? '';
  return CONNECTION_CODES.has(code)
    ? new StorefrontUnavailableError(`${label} unreachable (${code})`)
    : undefined;
}

/**
 * The Magento tables the containment levers touch, through a least-privilege user
 * (SELECT/UPDATE on oauth_token, admin_user, admin_user_session, integration;
 * SELECT/INSERT/UPDATE/DELETE on jwt_auth_revoked; see docs/magento-database-user.md).
 * Parameterised queries only; identifiers are fixed.
 */
export class MySqlMagentoDatabase implements MagentoDatabase {
  private pool?: Pool;

  constructor(
    private readonly credentials: () => Promise<MagentoDbCredentials>,
    private readonly options: Partial<PoolOptions> = {},
  ) {}

  async adminUsers(usernames: string[]) {
    if (usernames.length === 0) return [];
    const rows = await this.select(
      'SELECT user_id, username, is_active FROM admin_user WHERE username IN (?) ORDER BY user_id',
      [usernames],
    );
    return rows.map((r) => ({
      userId: Number(r.user_id),
      username: String(r.username),
      isActive: Number(r.is_active),
    }));
  }

  async adminUsersById(userIds: number[]) {
    if (userIds.length === 0) return [];
    const rows = await this.select(
      'SELECT user_id, username, is_active FROM admin_user WHERE user_id IN (?) ORDER BY user_id',
      [userIds],
    );
    return rows.map((r) => ({
      userId: Number(r.user_id),
      username: String(r.username),
      isActive: Number(r.is_active),
    }));
  }

  async oauthTokensById(entityIds: number[]) {
    if (entityIds.length === 0) return [];
    const rows = await this.select(
      'SELECT entity_id, revoked, consumer_id, admin_id, customer_id FROM oauth_token WHERE entity_id IN (?) ORDER BY entity_id',
      [entityIds],
    );
    const n = (v: unknown) => (v === null ? null : Number(v));
    return rows.map((r) => ({
      entityId: Number(r.entity_id),
      revoked: Number(r.revoked),
      consumerId: n(r.consumer_id),
      adminId: n(r.admin_id),
      customerId: n(r.customer_id),
    }));
  }

  setAdminActive(userIds: number[], active: number) {
    return this.update(
      'UPDATE admin_user SET is_active = ? WHERE user_id IN (?)',
      [active, userIds],
      userIds,
    );
  }

  async adminSessions(userIds: number[]) {
    if (userIds.length === 0) return [];
    const rows = await this.select(
      'SELECT id, user_id, status FROM admin_user_session WHERE user_id IN (?) ORDER BY id',
      [userIds],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      userId: Number(r.user_id),
      status: Number(r.status),
    }));
  }

  setSessionStatus(ids: number[], status: number) {
    return this.update(
      'UPDATE admin_user_session SET status = ? WHERE id IN (?)',
      [status, ids],
      ids,
    );
  }

  async integrations(names: string[]) {
    if (names.length === 0) return [];
    const rows = await this.select(
      'SELECT integration_id, name, status, consumer_id FROM integration WHERE name IN (?) ORDER BY integration_id',
      [names],
    );
    return rows.map((r) => ({
      integrationId: Number(r.integration_id),
      name: String(r.name),
      status: Number(r.status),
      consumerId: r.consumer_id === null ? null : Number(r.consumer_id),
    }));
  }

  async integrationsById(ids: number[]) {
    if (ids.length === 0) return [];
    const rows = await this.select(
      'SELECT integration_id, name, status, consumer_id FROM integration WHERE integration_id IN (?) ORDER BY integration_id',
      [ids],
    );
    return rows.map((r) => ({
      integrationId: Number(r.integration_id),
      name: String(r.name),
      status: Number(r.status),
      consumerId: r.consumer_id === null ? null : Number(r.consumer_id),
    }));
  }

  setIntegrationStatus(ids: number[], status: number) {
    return this.update(
      'UPDATE integration SET status = ? WHERE integration_id IN (?)',
      [status, ids],
      ids,
    );
  }

  async oauthTokens(scope: { adminIds: number[]; customerIds: number[]; consumerIds: number[] }) {
    const clauses: string[] = [];
    const params: unknown[] = [];
    for (const [col, ids] of [
      ['admin_id', scope.adminIds],
      ['customer_id', scope.customerIds],
      ['consumer_id', scope.consumerIds],
    ] as const) {
      if (ids.length > 0) {
        clauses.push(`${col} IN (?)`);
        params.push(ids);
      }
    }
    if (clauses.length === 0) return [];
    // Never select `token` or `secret`: the responder does not need them.
    const rows = await this.select(
      `SELECT entity_id, revoked, consumer_id, admin_id, customer_id FROM oauth_token WHERE ${clauses.join(' OR ')} ORDER BY entity_id`,
      params,
    );
    const n = (v: unknown) => (v === null ? null : Number(v));
    return rows.map((r) => ({
      entityId: Number(r.entity_id),
      revoked: Number(r.revoked),
      consumerId: n(r.consumer_id),
      adminId: n(r.admin_id),
      customerId: n(r.customer_id),
    }));
  }

  setTokensRevoked(entityIds: number[], revoked: number) {
    return this.update(
      'UPDATE oauth_token SET revoked = ? WHERE entity_id IN (?)',
      [revoked, entityIds],
      entityIds,
    );
  }

  async jwtRevoked(userTypeId: number, userIds: number[]) {
    if (userIds.length === 0) return [];
    const rows = await this.select(
      'SELECT user_type_id, user_id, revoke_before FROM jwt_auth_revoked WHERE user_type_id = ? AND user_id IN (?)',
      [userTypeId, userIds],
    );
    return userIds.map((id) => {
      const r = rows.find((x) => Number(x.user_id) === id);
      return { userTypeId, userId: id, revokeBefore: r ? Number(r.revoke_before) : null };
    });
  }

  async setJwtRevokeBefore(userTypeId: number, userId: number, epoch: number | null) {
    if (epoch === null) {
      await this.exec('DELETE FROM jwt_auth_revoked WHERE user_type_id = ? AND user_id = ?', [
        userTypeId,
        userId,
      ]);
      return;
    }
    await this.exec(
      'INSERT INTO jwt_auth_revoked (user_type_id, user_id, revoke_before) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE revoke_before = VALUES(revoke_before)',
      [userTypeId, userId, epoch],
    );
  }

  async close() {
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
  }

  private async getPool(): Promise<Pool> {
    if (!this.pool) {
      const c = await this.credentials();
      this.pool = createPool({
        host: c.host,
        port: c.port,
        user: c.user,
        password: c.password,
        database: c.database,
        connectionLimit: 2,
        connectTimeout: 3000,
        ...this.options,
      });
    }
    return this.pool;
  }

  private async select(sql: string, params: unknown[]): Promise<RowDataPacket[]> {
    const [rows] = await this.guard(async () =>
      (await this.getPool()).query<RowDataPacket[]>(sql, params),
    );
    return rows;
  }

  private async update(sql: string, params: unknown[], ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [res] = await this.guard(async () =>
      (await this.getPool()).query<ResultSetHeader>(sql, params),
    );
    return res.affectedRows;
  }

  private async exec(sql: string, params: unknown[]) {
    await this.guard(async () => (await this.getPool()).query<ResultSetHeader>(sql, params));
  }

  /** Connection failures mean the storefront's database is unreachable: escalate, do not guess. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (CONNECTION_CODES.has(code) || /connect|closed state/i.test((err as Error).message)) {
        await this.close();
        throw new StorefrontUnavailableError(
          `Magento database unreachable (${code || 'connection error'})`,
        );
      }
      // SQL errors carry no values (parameterised), but keep only the code and first line.
      throw new Error(
        `Magento database: ${code} ${(err as Error).message.split('\n')[0]?.slice(0, 200)}`,
      );
    }
  }
}
