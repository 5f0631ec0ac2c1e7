import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlMagentoDatabase } from '#adapters/magento-db.ts';
import { SsmMagentoHost } from '#adapters/magento-ssm.ts';
import { NonRetryableError, StorefrontUnavailableError } from '#runtime/errors.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from '#use-cases/containment/levers.ts';
import { LocalMagentoDatabase } from '../../../infra/local/magento-db.ts';
import { MagentoSimulator } from '../../../infra/local/simulators/magento.ts';
import { SsmStandIn } from '../../../infra/local/ssm-standin.ts';

/**
 * The real SSM adapter and SDK client against the SSM stand-in, which runs the commands on the
 * Magento simulator; the real MySQL adapter through the local database proxy.
 */
const INSTANCES = ['i-0aaa', 'i-0bbb'];
let magento: MagentoSimulator;
let ssm: SsmStandIn;
let host: SsmMagentoHost;
const target: LeverTarget = {
  incidentId: 'INC-HOST-1',
  customerIds: [],
  cardFingerprints: [],
  paymentIntents: [],
};

beforeAll(async () => {
  magento = new MagentoSimulator(INSTANCES);
  await magento.start();
  ssm = new SsmStandIn(
    () => magento.url,
    () => magento.instanceIds,
  );
  const endpoint = await ssm.start();
  host = new SsmMagentoHost(
    new SSMClient({
      region: 'eu-central-1',
      endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    }),
    { targets: INSTANCES, magentoRoot: '/var/www/magento', runAs: 'www-data', pollMs: 5 },
  );
});
afterAll(async () => {
  await ssm?.stop();
  await magento?.stop();
});

describe('bin/magento through SSM Run Command (stand-in) on the Magento simulator', () => {
  it('runs on every instance and records the exact command lines', async () => {
    magento.mode = 'up';
    const out = await host.run({ kind: 'maintenance:enable', allowIps: ['198.51.100.10'] }, 'k1');
    expect(out.map((o) => [o.instanceId, o.status])).toEqual([
      ['i-0aaa', 'Success'],
      ['i-0bbb', 'Success'],
    ]);
    expect(magento.maintenance).toEqual({ active: true, ips: ['198.51.100.10'] });
    expect(magento.commands.at(-1)!.line).toBe(
      'cd /var/www/magento && sudo -u www-data bin/magento maintenance:enable --ip=198.51.100.10',
    );
    // the storefront honours it: 503 except for the allow-listed office IP
    expect((await fetch(magento.url)).status).toBe(503);
    expect(
      (await fetch(magento.url, { headers: { 'x-forwarded-for': '198.51.100.10' } })).status,
    ).toBe(200);
    await host.run({ kind: 'maintenance:disable' }, 'k2');
    await host.run({ kind: 'maintenance:allow-ips', ips: [] }, 'k3');
    expect(magento.maintenance).toEqual({ active: false, ips: [] });
  });

  it('disable-payment-method: config:set --lock-env + cache:clean, release restores the value', async () => {
    magento.mode = 'up';
    magento.seed({ config: { 'payment/adyen_cc/active': '1' } });
    const ports: LeverPorts = {
      stripeKnownWebhookUrls: [],
      stripeBlockListId: 'x',
      magentoHost: host,
      magentoConfig: {
        paymentMethods: ['adyen_cc'],
        maintenanceAllowIps: [],
        protectedIntegrations: [],
      },
    };
    const lever = LEVERS['magento.disable-payment-method']!;
    const pre = await lever.snapshot(ports, target);
    expect(pre).toEqual({ methods: [{ code: 'adyen_cc', active: '1' }] });
    const { result } = await lever.act(ports, target, pre);
    expect(magento.config.get('payment/adyen_cc/active')).toEqual({ value: '0', locked: true });
    expect((await lever.verify(ports, target, pre, result)).ok).toBe(true);
    await lever.release(ports, target, pre, result);
    expect(magento.config.get('payment/adyen_cc/active')?.value).toBe('1');
  });

  it('a failing command is Failed (NonRetryableError); a host that is down is Undeliverable (StorefrontUnavailableError)', async () => {
    magento.mode = 'up';
    await expect(
      host.run({ kind: 'config:show', path: 'payment/nope/active' }, 'k4'),
    ).rejects.toBeInstanceOf(NonRetryableError);
    magento.mode = 'failing';
    await expect(host.run({ kind: 'cache:flush' }, 'k5')).rejects.toBeInstanceOf(NonRetryableError);
    magento.mode = 'down';
    await expect(host.run({ kind: 'cache:flush' }, 'k6')).rejects.toBeInstanceOf(
      StorefrontUnavailableError,
    );
    magento.mode = 'up';
  });
});

describe('local Magento database behind the proxy', () => {
  it('serves the least-privilege user; switched down, the adapter reports the storefront unavailable', async () => {
    const db = new LocalMagentoDatabase();
    await db.start();
    try {
      expect(db.available, db.unavailableReason).toBe(true);
      await db.seed({ admin_user: [{ user_id: 9, username: 'ops', password: 'x', is_active: 1 }] });
      const mdb = new MySqlMagentoDatabase(async () => db.credentials());
      expect(await mdb.adminUsersById([9])).toEqual([{ userId: 9, username: 'ops', isActive: 1 }]);
      db.proxy.setDown(true);
      await expect(mdb.adminUsersById([9])).rejects.toBeInstanceOf(StorefrontUnavailableError);
      await mdb.close();
    } finally {
      await db.stop();
    }
  });
});
