import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { releaseContainment } from '../../infra/local/containment-drill.ts';
import { attachDrillOperator } from '../../infra/local/drill-operator.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';
import { LOCAL_MAGENTO_INSTANCES } from '../../infra/local/storefront.ts';

/**
 * pii-breach on the local runtime: the real respond ASL and handlers; Magento database levers
 * against the per-runtime MariaDB database (through the runtime's proxy), `bin/magento` levers
 * through the real SSM adapter and SDK client against the SSM stand-in and the Magento simulator.
 * The drill operator grants approvals and declines escalations (the action is then skipped).
 */
const IP_SET = { name: 'tourniquet-incident-ips', id: 'ipset-sm-1', scope: 'REGIONAL' as const };
const WEB_ACL = { name: 'storefront-acl', id: 'webacl-sm-1', scope: 'REGIONAL' as const };
const wafRules = () =>
  ([...rt.storefront.waf.webAcls.values()][0]!.item.Rules as Array<{ Name: string }>).map(
    (r) => r.Name,
  );
const wafIps = () => [...rt.storefront.waf.ipSets.values()][0]!.item.Addresses as string[];
let rt: LocalRuntime;
let store: DynamoIncidentStore;
const MAGENTO_ACTIONS = [
  'magento.deactivate-admin-users',
  'magento.revoke-oauth-tokens',
  'magento.revoke-jwt',
  'magento.disable-integrations',
  'magento.clean-api-cache',
  'magento.maintenance-enable',
];

/** Rows of one "tenant" of the shared per-runtime database: admin n, integration n+1. */
async function seedRows(n: number) {
  await rt.storefront.magentoDb.seed({
    admin_user: [
      { user_id: n, username: `contractor-${n}`, password: 'x', is_active: 1 },
      { user_id: n + 50, username: `owner-${n}`, password: 'x', is_active: 1 },
    ],
    admin_user_session: [
      { id: n * 10, user_id: n, status: 1, ip: '203.0.113.77' },
      { id: n * 10 + 1, user_id: n + 50, status: 1, ip: '198.51.100.10' },
    ],
    oauth_consumer: [
      {
        entity_id: n + 1,
        name: `ext-${n}`,
        key: `ck${n}drill`,
        secret: `cs${n}drill`,
        rejected_callback_url: '',
      },
    ],
    integration: [
      {
        integration_id: n + 1,
        name: `shady-extension-${n}`,
        email: 'vendor@ext.example',
        status: 1,
        consumer_id: n + 1,
      },
    ],
    oauth_token: [
      {
        entity_id: n * 10,
        admin_id: n,
        type: 'access',
        token: `tokadmin${n}`,
        secret: 's',
        callback_url: '',
        revoked: 0,
        user_type: 2,
      },
      {
        entity_id: n * 10 + 1,
        consumer_id: n + 1,
        type: 'access',
        token: `tokext${n}`,
        secret: 's',
        callback_url: '',
        revoked: 0,
        user_type: 1,
      },
      {
        entity_id: n * 10 + 2,
        admin_id: n + 50,
        type: 'access',
        token: `tokowner${n}`,
        secret: 's',
        callback_url: '',
        revoked: 0,
        user_type: 2,
      },
    ],
  });
}

async function openIncident(n: number) {
  const incidentId = `INC-PII-${n}`;
  const at = rt.clock.now().toISOString();
  await store.createIncident({
    incidentId,
    status: 'open',
    classification: 'pii-breach',
    severity: 'P1',
    severityRuleVersion: 't',
    playbook: 'pii-breach',
    correlationKeys: [],
    alertIds: [`a-pii-${n}`],
    openedAt: at,
    updatedAt: at,
    drill: true,
  });
  await store.saveAlert({
    alertId: `a-pii-${n}`,
    incidentId,
    source: 'magento-log',
    kind: 'magento.export',
    receivedAt: at,
    occurredAt: at,
    severityHint: 'high',
    // as the log shipper names them: Magento row ids
    correlationKeys: {
      adminUser: `magento:${n}`,
      integration: `magento:${n + 1}`,
      ip: '203.0.113.77',
    },
    drill: true,
  });
  return incidentId;
}

async function run(incidentId: string) {
  const ex = rt.startExecution('respond', {
    detail: {
      incidentId,
      classification: 'pii-breach',
      severity: 'P1',
      playbook: 'pii-breach',
      drill: true,
    },
  });
  await ex.done;
  return ex;
}

const rowsOf = (dump: Record<string, unknown[]>, n: number) => ({
  admins: (dump.admin_user as Array<{ user_id: number; is_active: number }>).filter((r) =>
    [n, n + 50].includes(r.user_id),
  ),
  sessions: (dump.admin_user_session as Array<{ user_id: number }>).filter((r) =>
    [n, n + 50].includes(r.user_id),
  ),
  tokens: (dump.oauth_token as Array<{ entity_id: number }>).filter(
    (r) => Math.floor(r.entity_id / 10) === n,
  ),
  integrations: (dump.integration as Array<{ integration_id: number }>).filter(
    (r) => r.integration_id === n + 1,
  ),
  jwt: (dump.jwt_auth_revoked as Array<{ user_id: number }>).filter((r) =>
    [n, n + 50].includes(r.user_id),
  ),
});

beforeAll(async () => {
  rt = await LocalRuntime.start({
    stage: 'drill',
    context: {
      'tourniquet:containment': {
        magentoSsmTargets: LOCAL_MAGENTO_INSTANCES,
        magentoMaintenanceAllowIps: ['198.51.100.10'],
        waf: {
          ipSet: IP_SET,
          webAcl: WEB_ACL,
          rulePriority: 0,
          exportPaths: ['/admin/mui/export'],
        },
      },
    },
  });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  attachDrillOperator(rt);
  rt.storefront.waf.seed({ ipSet: IP_SET, webAcl: WEB_ACL });
}, 120_000);
afterAll(async () => rt?.stop());

describe('respond / pii-breach (Magento simulator + MariaDB)', () => {
  it('the per-runtime Magento database is up', () => {
    expect(rt.storefront.magentoDb.available, rt.storefront.magentoDb.unavailableReason).toBe(true);
  });

  it('happy path, then release restores the pre-state exactly', async () => {
    await seedRows(3);
    const before = rowsOf(await rt.storefront.magentoDb.dump(), 3);
    const id = await openIncident(3);
    const ex = await run(id);
    expect(ex.status).toBe('SUCCEEDED');
    const actions = await store.listActions(id);
    for (const a of MAGENTO_ACTIONS)
      expect(actions.find((x) => x.action === a)?.status, a).toBe('executed');
    expect(actions.find((x) => x.action === 'aws.waf-block-admin-export')?.status).toBe('executed');
    expect(wafRules()).toEqual(['tourniquet-block-admin-export']);
    expect(wafIps()).toEqual(['203.0.113.77/32']);

    const after = rowsOf(await rt.storefront.magentoDb.dump(), 3);
    expect(after.admins.map((a) => [a.user_id, a.is_active])).toEqual([
      [3, 0],
      [53, 1],
    ]);
    expect(after.sessions).toMatchObject([
      { id: 30, status: 0 },
      { id: 31, status: 1 },
    ]);
    expect(after.tokens).toMatchObject([
      { entity_id: 30, revoked: 1 },
      { entity_id: 31, revoked: 1 },
      { entity_id: 32, revoked: 0 },
    ]);
    expect(after.integrations).toMatchObject([{ integration_id: 4, status: 0 }]);
    expect(after.jwt).toMatchObject([{ user_type_id: 2, user_id: 3 }]);
    const hosts = rt.storefront.magento;
    expect(hosts.maintenance).toEqual({ active: true, ips: ['198.51.100.10'] });
    const cmds = hosts.commands.map((c) => `${c.instanceId} ${c.args}`);
    for (const i of LOCAL_MAGENTO_INSTANCES) {
      expect(cmds).toContain(`${i} cache:flush`);
      expect(cmds).toContain(`${i} maintenance:enable --ip=198.51.100.10`);
    }

    const released = await releaseContainment(rt, id);
    expect(
      released.every((r) => r.status === 'released'),
      JSON.stringify(released),
    ).toBe(true);
    expect(rowsOf(await rt.storefront.magentoDb.dump(), 3)).toEqual(before);
    expect(hosts.maintenance).toEqual({ active: false, ips: [] });
    expect(wafRules()).toEqual([]);
    expect(wafIps()).toEqual([]);
    expect((await store.listActions(id)).filter((a) => a.status === 'released').length).toBe(
      released.length,
    );
  });

  it('storefront down: every Magento step escalates, the execution still completes', async () => {
    await seedRows(7);
    const before = rowsOf(await rt.storefront.magentoDb.dump(), 7);
    const commandsBefore = rt.storefront.magento.commands.length;
    const id = await openIncident(7);
    rt.setStorefrontDown();
    const ex = await run(id);
    expect(ex.status).toBe('SUCCEEDED');
    const actions = await store.listActions(id);
    for (const a of MAGENTO_ACTIONS)
      expect(actions.find((x) => x.action === a)?.status, a).not.toBe('executed');
    // nothing else blocks: the WAF rule (AWS, not the storefront) still goes in
    expect(actions.find((x) => x.action === 'aws.waf-block-admin-export')?.status).toBe('executed');
    expect(wafRules()).toEqual(['tourniquet-block-admin-export']);
    const tl = await store.readTimeline(id);
    expect(
      tl.filter(
        (e) =>
          e.type === 'escalation.raised' && /StorefrontUnavailable/.test(JSON.stringify(e.data)),
      ).length,
    ).toBeGreaterThanOrEqual(MAGENTO_ACTIONS.length);
    expect(tl.some((e) => e.type === 'containment.completed')).toBe(true);
    expect((await store.getIncident(id))?.status).toBe('escalated');
    // nothing reached the hosts or the database
    expect(rt.storefront.magento.commands.length).toBe(commandsBefore);
    expect(rowsOf(await rt.storefront.magentoDb.dump(), 7)).toEqual(before);
  });
});
