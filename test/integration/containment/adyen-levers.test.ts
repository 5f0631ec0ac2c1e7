import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdyenManagementAdapter } from '#adapters/adyen-management.ts';
import { GatewayUnavailableError, NonRetryableError } from '#runtime/errors.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from '#use-cases/containment/levers.ts';
import { AdyenSimulator } from '../../../infra/local/simulators/adyen.ts';

/** The Adyen levers through the real adapter (fetch) against the Management API simulator. */
const MERCHANT = 'DrillMerchantECOM';
const MGMT_KEY = 'AQE_mgmt_key_for_tests_only';
const STOREFRONT_KEY = 'AQE_storefront_key_for_tests_only';
const POS_KEY = 'AQE_pos_key_for_tests_only';

let sim: AdyenSimulator;
let ports: LeverPorts;
const target: LeverTarget = {
  incidentId: 'INC-ADYEN-1',
  customerIds: [],
  cardFingerprints: [],
  paymentIntents: [],
};

function seed() {
  sim.credentials.clear();
  sim.calls.length = 0;
  sim.mode = 'up';
  sim.seed(MERCHANT, [
    { id: 'ws_responder', key: MGMT_KEY, management: true },
    {
      id: 'ws_storefront',
      key: STOREFRONT_KEY,
      allowedOrigins: ['https://shop.example-fintech.eu', 'https://collector.attacker.example'],
    },
    { id: 'ws_pos', key: POS_KEY, allowedOrigins: ['https://shop.example-fintech.eu'] },
  ]);
}

beforeAll(async () => {
  sim = new AdyenSimulator();
  const base = await sim.start();
  ports = {
    stripeKnownWebhookUrls: [],
    stripeBlockListId: 'x',
    adyen: new AdyenManagementAdapter(async () => MGMT_KEY, base, 2000),
    adyenConfig: {
      merchantId: MERCHANT,
      allowedOrigins: ['https://shop.example-fintech.eu'],
      credentials: [
        { id: 'ws_storefront', key: async () => STOREFRONT_KEY },
        { id: 'ws_pos', key: async () => POS_KEY },
      ],
    },
  };
});
afterAll(() => sim.stop());
beforeEach(seed);

describe('Adyen levers against the Management API simulator', () => {
  it('deactivate-api-credentials: the old keys are refused afterwards (401), release restores them', async () => {
    const lever = LEVERS['adyen.deactivate-api-credentials']!;
    const pre = await lever.snapshot(ports, target);
    expect(pre).toEqual({
      credentials: [
        {
          id: 'ws_storefront',
          active: true,
          allowedOrigins: ['https://collector.attacker.example', 'https://shop.example-fintech.eu'],
        },
        { id: 'ws_pos', active: true, allowedOrigins: ['https://shop.example-fintech.eu'] },
      ],
    });
    const { changed, result } = await lever.act(ports, target, pre);
    expect(changed).toBe(2);
    // the old key itself, straight at the API: refused
    const me = await fetch(new URL('/v3/me', sim.url), {
      headers: { 'x-api-key': STOREFRONT_KEY },
    });
    expect(me.status).toBe(401);
    const v = await lever.verify(ports, target, pre, result);
    expect(v).toEqual({
      ok: true,
      detail: '2 credential(s), 0 still active; old key refused 2/2',
    });
    const patches = sim.calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => [c.path, c.body])).toEqual([
      [`/v3/merchants/${MERCHANT}/apiCredentials/ws_storefront`, { active: false }],
      [`/v3/merchants/${MERCHANT}/apiCredentials/ws_pos`, { active: false }],
    ]);
    // idempotent: a second run from the same snapshot changes nothing more than the first
    const again = await lever.act(ports, target, await lever.snapshot(ports, target));
    expect(again.changed).toBe(0);
    expect(await lever.release(ports, target, pre, result)).toEqual({ restored: 2 });
    expect(await lever.snapshot(ports, target)).toEqual(pre);
    expect(sim.accepts(STOREFRONT_KEY)).toBe(true);
  });

  it('verify fails when the gateway still accepts the old key', async () => {
    const lever = LEVERS['adyen.deactivate-api-credentials']!;
    const pre = await lever.snapshot(ports, target);
    // nothing deactivated: the check must not pass on a rotation-only story
    const v = await lever.verify(ports, target, pre, { deactivated: [] });
    expect(v.ok).toBe(false);
    expect(v.detail).toBe('2 credential(s), 2 still active; old key refused 0/2');
  });

  it('restrict-allowed-origins: unknown origins removed, release restores the exact list', async () => {
    const lever = LEVERS['adyen.restrict-allowed-origins']!;
    const pre = await lever.snapshot(ports, target);
    const { changed, result } = await lever.act(ports, target, pre);
    expect(changed).toBe(1);
    expect(result).toEqual({ restricted: ['ws_storefront'] });
    expect(sim.credentials.get('ws_storefront')!.allowedOrigins.map((o) => o.domain)).toEqual([
      'https://shop.example-fintech.eu',
    ]);
    expect((await lever.verify(ports, target, pre, result)).ok).toBe(true);
    expect(await lever.release(ports, target, pre, result)).toEqual({ restored: 1 });
    expect(await lever.snapshot(ports, target)).toEqual(pre);
  });

  it('a key without the management role is refused (403 → NonRetryableError)', async () => {
    const weak = new AdyenManagementAdapter(async () => POS_KEY, sim.url, 2000);
    await expect(weak.getCredential(MERCHANT, 'ws_storefront')).rejects.toBeInstanceOf(
      NonRetryableError,
    );
  });

  it('gateway down: GatewayUnavailableError (the state machine retries, then escalates)', async () => {
    sim.mode = 'down';
    await expect(
      LEVERS['adyen.deactivate-api-credentials']!.snapshot(ports, target),
    ).rejects.toBeInstanceOf(GatewayUnavailableError);
  });
});
