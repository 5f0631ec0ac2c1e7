/**
 * Magento containment through its database (least-privilege MySQL user) and through
 * `bin/magento` on its hosts (SSM Run Command). Core REST cannot do these (integrations.md §C).
 */
export const USER_TYPE = { integration: 1, admin: 2, customer: 3 } as const;

export interface OAuthTokenRow {
  entityId: number;
  revoked: number;
  consumerId: number | null;
  adminId: number | null;
  customerId: number | null;
}
export interface AdminUserRow {
  userId: number;
  username: string;
  isActive: number;
}
export interface AdminSessionRow {
  id: number;
  userId: number;
  status: number;
}
export interface IntegrationRow {
  integrationId: number;
  name: string;
  status: number;
  consumerId: number | null;
}
export interface JwtRevokedRow {
  userTypeId: number;
  userId: number;
  revokeBefore: number | null; // null: no row
}

export interface MagentoDatabase {
  adminUsers(usernames: string[]): Promise<AdminUserRow[]>;
  adminUsersById(userIds: number[]): Promise<AdminUserRow[]>;
  setAdminActive(userIds: number[], active: number): Promise<number>;
  adminSessions(userIds: number[]): Promise<AdminSessionRow[]>;
  setSessionStatus(ids: number[], status: number): Promise<number>;
  integrations(names: string[]): Promise<IntegrationRow[]>;
  integrationsById(ids: number[]): Promise<IntegrationRow[]>;
  setIntegrationStatus(ids: number[], status: number): Promise<number>;
  oauthTokens(scope: {
    adminIds: number[];
    customerIds: number[];
    consumerIds: number[];
  }): Promise<OAuthTokenRow[]>;
  oauthTokensById(entityIds: number[]): Promise<OAuthTokenRow[]>;
  setTokensRevoked(entityIds: number[], revoked: number): Promise<number>;
  jwtRevoked(userTypeId: number, userIds: number[]): Promise<JwtRevokedRow[]>;
  /** Upserts revoke_before (epoch seconds); `null` deletes the row (restores "never revoked"). */
  setJwtRevokeBefore(userTypeId: number, userId: number, epoch: number | null): Promise<void>;
  close(): Promise<void>;
}

export interface MagentoCommandResult {
  instanceId: string;
  status: string;
  stdout: string;
}

/** `bin/magento` on every Magento host; each call is validated and runs through SSM Run Command. */
export interface MagentoHost {
  run(command: MagentoCommand, idempotencyKey: string): Promise<MagentoCommandResult[]>;
}

export type MagentoCommand =
  | { kind: 'maintenance:status' }
  | { kind: 'maintenance:enable'; allowIps: string[] }
  | { kind: 'maintenance:disable' }
  | { kind: 'maintenance:allow-ips'; ips: string[] }
  | { kind: 'cache:clean'; types?: string[] }
  | { kind: 'cache:flush' }
  | { kind: 'config:show'; path: string }
  | { kind: 'config:set'; path: string; value: string; lockEnv: boolean };
