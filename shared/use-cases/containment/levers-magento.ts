import { USER_TYPE } from '#ports/magento.ts';
import type { Lever, LeverPorts, LeverTarget } from './lever-kit.ts';
import { need } from './lever-kit.ts';

/** Magento AdminSessionInfo statuses. */
const SESSION_LOGGED_IN = 1;
const SESSION_LOGGED_OUT = 0;
/** Magento integration statuses: 0 inactive, 1 active, 2 recalled. */
const INTEGRATION_INACTIVE = 0;

const db = (p: LeverPorts) => need(p.magentoDb, 'Magento database');
const host = (p: LeverPorts) => need(p.magentoHost, 'Magento hosts (SSM)');
const customerIds = (t: LeverTarget) =>
  t.customerIds
    .filter((c) => c.startsWith('magento:'))
    .map((c) => Number(c.slice('magento:'.length)))
    .filter((n) => Number.isInteger(n) && n > 0);

/** Alerts name Magento rows by id (`magento:<id>`, from the log shipper) or by name/username. */
const byId = (refs: string[]) =>
  refs
    .filter((r) => r.startsWith('magento:'))
    .map((r) => Number(r.slice('magento:'.length)))
    .filter((n) => Number.isInteger(n) && n > 0);
const byName = (refs: string[]) => refs.filter((r) => !r.startsWith('magento:'));

async function inScopeAdmins(p: LeverPorts, t: LeverTarget) {
  const refs = t.adminUsers ?? [];
  const rows = [
    ...(await db(p).adminUsers(byName(refs))),
    ...(await db(p).adminUsersById(byId(refs))),
  ];
  return [...new Map(rows.map((r) => [r.userId, r])).values()].sort((a, b) => a.userId - b.userId);
}

async function inScopeIntegrations(p: LeverPorts, t: LeverTarget) {
  const protectedNames = new Set(p.magentoConfig?.protectedIntegrations ?? []);
  const refs = t.integrations ?? [];
  const rows = [
    ...(await db(p).integrations(byName(refs).filter((n) => !protectedNames.has(n)))),
    ...(await db(p).integrationsById(byId(refs))),
  ];
  return [...new Map(rows.map((r) => [r.integrationId, r])).values()]
    .filter((i) => !protectedNames.has(i.name))
    .sort((a, b) => a.integrationId - b.integrationId);
}

type AdminPre = {
  admins: Array<{ userId: number; isActive: number }>;
  sessions: Array<{ id: number; status: number }>;
};
const deactivateAdminUsers: Lever<AdminPre, { deactivated: number[]; ended: number[] }> = {
  reversible: true,
  async snapshot(p, t) {
    const admins = await inScopeAdmins(p, t);
    const sessions = await db(p).adminSessions(admins.map((a) => a.userId));
    return {
      admins: admins.map((a) => ({ userId: a.userId, isActive: a.isActive })),
      sessions: sessions.map((s) => ({ id: s.id, status: s.status })),
    };
  },
  async act(p, _t, pre) {
    const deactivated = pre.admins.filter((a) => a.isActive !== 0).map((a) => a.userId);
    const ended = pre.sessions.filter((s) => s.status === SESSION_LOGGED_IN).map((s) => s.id);
    await db(p).setAdminActive(deactivated, 0);
    await db(p).setSessionStatus(ended, SESSION_LOGGED_OUT);
    return { changed: deactivated.length + ended.length, result: { deactivated, ended } };
  },
  async verify(p, _t, pre) {
    const ids = pre.admins.map((a) => a.userId);
    const active = (await db(p).adminUsersById(ids)).filter((a) => a.isActive !== 0);
    const live = (await db(p).adminSessions(ids)).filter((s) => s.status === SESSION_LOGGED_IN);
    return {
      ok: active.length === 0 && live.length === 0,
      detail: `${ids.length} admin(s) in scope, ${active.length} still active, ${live.length} session(s) still live`,
    };
  },
  async release(p, _t, pre, res) {
    for (const a of pre.admins.filter((x) => res.deactivated.includes(x.userId)))
      await db(p).setAdminActive([a.userId], a.isActive);
    for (const s of pre.sessions.filter((x) => res.ended.includes(x.id)))
      await db(p).setSessionStatus([s.id], s.status);
    return { restored: res.deactivated.length + res.ended.length };
  },
};

type TokenPre = { tokens: Array<{ entityId: number; revoked: number }> };
const revokeOAuthTokens: Lever<TokenPre, { revoked: number[] }> = {
  reversible: true,
  async snapshot(p, t) {
    const admins = await inScopeAdmins(p, t);
    const integrations = await inScopeIntegrations(p, t);
    const tokens = await db(p).oauthTokens({
      adminIds: admins.map((a) => a.userId),
      customerIds: customerIds(t),
      consumerIds: integrations.flatMap((i) => (i.consumerId === null ? [] : [i.consumerId])),
    });
    return { tokens: tokens.map((x) => ({ entityId: x.entityId, revoked: x.revoked })) };
  },
  async act(p, _t, pre) {
    const revoked = pre.tokens.filter((x) => x.revoked === 0).map((x) => x.entityId);
    await db(p).setTokensRevoked(revoked, 1);
    return { changed: revoked.length, result: { revoked } };
  },
  async verify(p, _t, pre) {
    const ids = pre.tokens.map((x) => x.entityId);
    const still = (await db(p).oauthTokensById(ids)).filter((x) => x.revoked === 0);
    return {
      ok: still.length === 0,
      detail: `${ids.length} token(s) in scope, ${still.length} still valid`,
    };
  },
  async release(p, _t, _pre, res) {
    await db(p).setTokensRevoked(res.revoked, 0);
    return { restored: res.revoked.length };
  },
};

type JwtPre = { rows: Array<{ userTypeId: number; userId: number; revokeBefore: number | null }> };
const revokeJwt: Lever<
  JwtPre,
  { at: number; changed: Array<{ userTypeId: number; userId: number }> }
> = {
  reversible: true,
  async snapshot(p, t) {
    const admins = await inScopeAdmins(p, t);
    const rows = [
      ...(await db(p).jwtRevoked(
        USER_TYPE.admin,
        admins.map((a) => a.userId),
      )),
      ...(await db(p).jwtRevoked(USER_TYPE.customer, customerIds(t))),
    ];
    return { rows };
  },
  async act(p, _t, pre) {
    const at = Math.floor((p.now?.() ?? new Date()).getTime() / 1000);
    const changed: Array<{ userTypeId: number; userId: number }> = [];
    for (const r of pre.rows) {
      if (r.revokeBefore !== null && r.revokeBefore >= at) continue;
      await db(p).setJwtRevokeBefore(r.userTypeId, r.userId, at);
      changed.push({ userTypeId: r.userTypeId, userId: r.userId });
    }
    return { changed: changed.length, result: { at, changed } };
  },
  async verify(p, _t, pre, res) {
    let stale = 0;
    for (const type of [USER_TYPE.admin, USER_TYPE.customer]) {
      const ids = pre.rows.filter((r) => r.userTypeId === type).map((r) => r.userId);
      stale += (await db(p).jwtRevoked(type, ids)).filter(
        (r) => r.revokeBefore === null || r.revokeBefore < res.at,
      ).length;
    }
    return {
      ok: stale === 0,
      detail: `${pre.rows.length} user(s): JWTs issued before ${new Date(res.at * 1000).toISOString()} rejected, ${stale} not`,
    };
  },
  async release(p, _t, pre, res) {
    for (const c of res.changed) {
      const was = pre.rows.find((r) => r.userTypeId === c.userTypeId && r.userId === c.userId);
      await db(p).setJwtRevokeBefore(c.userTypeId, c.userId, was?.revokeBefore ?? null);
    }
    return { restored: res.changed.length };
  },
};

type IntegrationPre = {
  integrations: Array<{ integrationId: number; name: string; status: number }>;
};
const disableIntegrations: Lever<IntegrationPre, { disabled: number[] }> = {
  reversible: true,
  async snapshot(p, t) {
    const list = await inScopeIntegrations(p, t);
    return {
      integrations: list.map((i) => ({
        integrationId: i.integrationId,
        name: i.name,
        status: i.status,
      })),
    };
  },
  async act(p, _t, pre) {
    const disabled = pre.integrations
      .filter((i) => i.status !== INTEGRATION_INACTIVE)
      .map((i) => i.integrationId);
    await db(p).setIntegrationStatus(disabled, INTEGRATION_INACTIVE);
    return { changed: disabled.length, result: { disabled } };
  },
  async verify(p, _t, pre) {
    const now = await db(p).integrations(pre.integrations.map((i) => i.name));
    const on = now.filter((i) => i.status !== INTEGRATION_INACTIVE);
    return {
      ok: on.length === 0,
      detail: `${pre.integrations.length} integration(s) in scope, ${on.length} still active`,
    };
  },
  async release(p, _t, pre, res) {
    for (const i of pre.integrations.filter((x) => res.disabled.includes(x.integrationId)))
      await db(p).setIntegrationStatus([i.integrationId], i.status);
    return { restored: res.disabled.length };
  },
};

const cleanApiCache: Lever<Record<string, never>, { hosts: number }> = {
  reversible: false,
  async snapshot() {
    return {};
  },
  async act(p, t) {
    const out = await host(p).run({ kind: 'cache:flush' }, `${t.incidentId}:cache-flush`);
    return { changed: out.length, result: { hosts: out.length } };
  },
  async verify(_p, _t, _pre, res) {
    return {
      ok: res.hosts > 0,
      detail: `cache flushed on ${res.hosts} host(s) (a flushed cache cannot be restored)`,
    };
  },
  async release() {
    return { restored: 0 };
  },
};

/** Parses `bin/magento maintenance:status`. */
export function parseMaintenance(stdout: string): { active: boolean; ips: string[] } {
  const active = /maintenance mode is active/i.test(stdout);
  const m = /exempt IP-addresses:\s*(.*)$/im.exec(stdout);
  const ips = (m?.[1] ?? '')
    .split(/[\s,]+/)
    .filter((x) => x && x.toLowerCase() !== 'none')
    .sort();
  return { active, ips };
}

type MaintPre = { active: boolean; ips: string[] };
const maintenanceEnable: Lever<MaintPre, { enabled: boolean }> = {
  reversible: true,
  async snapshot(p, t) {
    const [first] = await host(p).run(
      { kind: 'maintenance:status' },
      `${t.incidentId}:maint-status`,
    );
    return parseMaintenance(first?.stdout ?? '');
  },
  async act(p, t, pre) {
    const allow = p.magentoConfig?.maintenanceAllowIps ?? [];
    if (pre.active && allow.every((ip) => pre.ips.includes(ip)))
      return { changed: 0, result: { enabled: false } };
    await host(p).run(
      { kind: 'maintenance:enable', allowIps: allow },
      `${t.incidentId}:maint-enable`,
    );
    return { changed: 1, result: { enabled: true } };
  },
  async verify(p, t) {
    const out = await host(p).run({ kind: 'maintenance:status' }, `${t.incidentId}:maint-verify`);
    const off = out.filter((o) => !parseMaintenance(o.stdout).active);
    return {
      ok: off.length === 0,
      detail: `maintenance mode on ${out.length - off.length}/${out.length} host(s)`,
    };
  },
  async release(p, t, pre, res) {
    if (!res.enabled) return { restored: 0 };
    if (!pre.active)
      await host(p).run({ kind: 'maintenance:disable' }, `${t.incidentId}:maint-disable`);
    await host(p).run({ kind: 'maintenance:allow-ips', ips: pre.ips }, `${t.incidentId}:maint-ips`);
    return { restored: 1 };
  },
};

/** Parses `bin/magento config:show <path>` (prints the value, or an error when unset). */
const parseConfigValue = (stdout: string) => {
  const v = stdout.trim().split('\n').pop()?.trim() ?? '';
  return /not found|doesn't exist/i.test(v) ? null : v;
};

type PayPre = { methods: Array<{ code: string; active: string | null }> };
const disablePaymentMethod: Lever<PayPre, { disabled: string[] }> = {
  reversible: true,
  async snapshot(p, t) {
    const methods = [];
    for (const code of p.magentoConfig?.paymentMethods ?? []) {
      const [o] = await host(p).run(
        { kind: 'config:show', path: `payment/${code}/active` },
        `${t.incidentId}:show:${code}`,
      );
      methods.push({ code, active: parseConfigValue(o?.stdout ?? '') });
    }
    return { methods };
  },
  async act(p, t, pre) {
    const disabled: string[] = [];
    for (const m of pre.methods.filter((x) => x.active !== '0')) {
      await host(p).run(
        { kind: 'config:set', path: `payment/${m.code}/active`, value: '0', lockEnv: true },
        `${t.incidentId}:off:${m.code}`,
      );
      disabled.push(m.code);
    }
    if (disabled.length)
      await host(p).run({ kind: 'cache:clean', types: ['config'] }, `${t.incidentId}:cache-config`);
    return { changed: disabled.length, result: { disabled } };
  },
  async verify(p, t, pre) {
    const on: string[] = [];
    for (const m of pre.methods) {
      const out = await host(p).run(
        { kind: 'config:show', path: `payment/${m.code}/active` },
        `${t.incidentId}:verify:${m.code}`,
      );
      if (out.some((o) => parseConfigValue(o.stdout) !== '0')) on.push(m.code);
    }
    return {
      ok: on.length === 0,
      detail: `${pre.methods.length} payment method(s) in scope, ${on.length} still active`,
    };
  },
  async release(p, t, pre, res) {
    for (const m of pre.methods.filter((x) => res.disabled.includes(x.code))) {
      // The value is restored; --lock-env keeps the Admin field locked (app/etc/env.php) until removed there.
      await host(p).run(
        {
          kind: 'config:set',
          path: `payment/${m.code}/active`,
          value: m.active ?? '1',
          lockEnv: true,
        },
        `${t.incidentId}:on:${m.code}`,
      );
    }
    if (res.disabled.length)
      await host(p).run(
        { kind: 'cache:clean', types: ['config'] },
        `${t.incidentId}:cache-config-release`,
      );
    return { restored: res.disabled.length };
  },
};

export const MAGENTO_LEVERS: Record<string, Lever<any, any>> = {
  'magento.deactivate-admin-users': deactivateAdminUsers,
  'magento.revoke-oauth-tokens': revokeOAuthTokens,
  'magento.revoke-jwt': revokeJwt,
  'magento.disable-integrations': disableIntegrations,
  'magento.clean-api-cache': cleanApiCache,
  'magento.maintenance-enable': maintenanceEnable,
  'magento.disable-payment-method': disablePaymentMethod,
};
