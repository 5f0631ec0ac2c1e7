import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREACHABLE_ENDPOINT } from '#contracts/drills.ts';
import type { Incident } from '#domain/incident.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { buildDrillLeverPorts, drillRuntime } from '#runtime/drill-lever-deps.ts';
import { portsForIncident } from '#use-cases/drill/drill-mode.ts';

/** A Stripe stand-in that records who called it with which key. */
let sandbox: Server;
let sandboxUrl = '';
const calls: Array<{ path: string; auth: string }> = [];
beforeAll(async () => {
  sandbox = createServer((req, res) => {
    calls.push({ path: req.url ?? '', auth: String(req.headers.authorization) });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: [] }));
  });
  await new Promise<void>((r) => sandbox.listen(0, '127.0.0.1', () => r()));
  sandboxUrl = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => sandbox.close(() => r())));

const PROD_ENV = {
  INCIDENT_TABLE: 'tourniquet-incidents-prod',
  TOURNIQUET_STAGE: 'prod',
  STRIPE_API_KEY_SECRET_ARN: 'arn:secret:StripeApiKey',
  STRIPE_API_BASE: 'https://api.stripe.com',
  STRIPE_KNOWN_WEBHOOK_URLS: 'https://hooks.example/prod',
  MAGENTO_DB_SECRET_ARN: 'arn:secret:MagentoProdDb',
  MAGENTO_SSM_TARGETS: 'i-0prod',
  WAF_CONFIG: JSON.stringify({
    ipSet: { name: 'prod', id: '1', scope: 'REGIONAL' },
    webAcl: { name: 'prod', id: '2', scope: 'REGIONAL' },
    rulePriority: 1,
    exportPaths: ['/admin/export'],
  }),
  TRAINING_PIPELINE: JSON.stringify({ functions: ['prod-train'] }),
  QUARANTINE_BUCKET: 'prod-quarantine',
  ADYEN_CONFIG: JSON.stringify({ merchantId: 'ProdMerchant', credentials: [{ id: 'S2-prod' }] }),
};
const secrets: Record<string, string> = {
  'arn:secret:StripeApiKey': 'rk_live_production',
  'arn:secret:DrillStripeTestKey': 'rk_test_drill',
  'arn:secret:DrillStripeLiveByMistake': 'sk_live_oops',
};
const sandboxEnv = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    stripeApiBase: sandboxUrl,
    stripeKeySecretArn: 'arn:secret:DrillStripeTestKey',
    stripeKnownWebhookUrls: ['https://hooks.example/sandbox'],
    adyenApiBase: 'https://management-test.adyen.com/v3',
    magentoDbSecretArn: 'arn:secret:DrillMagentoStagingDb',
    kycVendorBase: 'https://sandbox.kyc.example',
    leverEnv: { QUARANTINE_BUCKET: 'drill-quarantine' },
    ...over,
  });
const rt = (env: Record<string, string>): RuntimeConfig => ({
  env,
  aws: { region: 'us-east-1' },
  secret: async (id) => {
    const v = secrets[id];
    if (!v) throw new Error(`no secret ${id}`);
    return v;
  },
  clock: { now: () => new Date('2026-03-02T06:00:00Z') },
});

describe('drill runtime (DRILL_SANDBOX)', () => {
  it('drops every production lever setting and uses the sandbox and the drill-owned resources', () => {
    const env = drillRuntime(rt(PROD_ENV), JSON.parse(sandboxEnv()) as never, 'up').env;
    expect(env).toEqual({
      INCIDENT_TABLE: 'tourniquet-incidents-prod',
      TOURNIQUET_STAGE: 'prod',
      STRIPE_API_BASE: sandboxUrl,
      STRIPE_API_KEY_SECRET_ARN: 'arn:secret:DrillStripeTestKey',
      STRIPE_KNOWN_WEBHOOK_URLS: 'https://hooks.example/sandbox',
      ADYEN_API_BASE: 'https://management-test.adyen.com/v3',
      MAGENTO_DB_SECRET_ARN: 'arn:secret:DrillMagentoStagingDb',
      KYC_API_BASE: 'https://sandbox.kyc.example',
      QUARANTINE_BUCKET: 'drill-quarantine',
    });
  });

  it('storefront down: storefront-side endpoints refuse connections, no Magento database or host', () => {
    const env = drillRuntime(
      rt({ ...PROD_ENV }),
      JSON.parse(sandboxEnv({ leverEnv: { MAGENTO_SSM_TARGETS: 'i-0staging' } })) as never,
      'down',
    ).env;
    expect(env.STRIPE_API_BASE).toBe(UNREACHABLE_ENDPOINT);
    expect(env.ADYEN_API_BASE).toBe(UNREACHABLE_ENDPOINT);
    expect(env.KYC_API_BASE).toBe(UNREACHABLE_ENDPOINT);
    expect(env.MAGENTO_DB_SECRET_ARN).toBeUndefined();
    expect(env.MAGENTO_SSM_TARGETS).toBeUndefined();
  });

  it('drill levers call the sandbox with the test-mode key; production levers keep production', async () => {
    calls.length = 0;
    const levers = buildDrillLeverPorts(rt({ ...PROD_ENV, DRILL_SANDBOX: sandboxEnv() }))!;
    const ports = levers('up');
    expect(ports.waf).toBeUndefined();
    expect(ports.pipelines).toBeUndefined();
    expect(ports.magentoHost).toBeUndefined();
    expect(ports.adyen).toBeUndefined();
    expect(ports.stripeKnownWebhookUrls).toEqual(['https://hooks.example/sandbox']);
    expect(await ports.stripe!.listWebhookEndpoints()).toEqual([]);
    expect(calls).toEqual([
      { path: '/v1/webhook_endpoints?limit=100', auth: 'Bearer rk_test_drill' },
    ]);
    expect(levers('up')).toBe(ports);
  });

  it('refuses a Stripe key that is not a test-mode key before any request', async () => {
    calls.length = 0;
    const levers = buildDrillLeverPorts(
      rt({
        ...PROD_ENV,
        DRILL_SANDBOX: sandboxEnv({ stripeKeySecretArn: 'arn:secret:DrillStripeLiveByMistake' }),
      }),
    )!;
    await expect(levers('up').stripe!.listWebhookEndpoints()).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: expect.stringMatching(/not a test-mode key/),
    });
    expect(calls).toEqual([]);
  });

  it("a scheduled drill's catalog images map to gallery values under its drill/<run>/ prefix", () => {
    const runId = 'deepfake-catalog-images.up.20260302t060000z';
    const env = drillRuntime(rt(PROD_ENV), JSON.parse(sandboxEnv()) as never, 'up', runId).env;
    expect(env.MEDIA_CATALOG_PREFIX).toBe(`drill/${runId}/catalog/product`);
    const levers = buildDrillLeverPorts(rt({ ...PROD_ENV, DRILL_SANDBOX: sandboxEnv() }))!;
    expect(levers('up', runId).media?.catalogPrefix).toBe(`drill/${runId}/catalog/product`);
    expect(levers('up').media?.catalogPrefix).toBe('catalog/product');
    expect(levers('up', runId)).toBe(levers('up', runId));
  });

  it('is absent without DRILL_SANDBOX and names the field of a bad one (never its value)', () => {
    expect(buildDrillLeverPorts(rt(PROD_ENV))).toBeUndefined();
    expect(() =>
      buildDrillLeverPorts(
        rt({ ...PROD_ENV, DRILL_SANDBOX: sandboxEnv({ adyenApiBase: 'nope' }) }),
      ),
    ).toThrow(/DRILL_SANDBOX\.adyenApiBase/);
  });
});

describe('portsForIncident', () => {
  const incident = (drill: boolean, alertIds: string[]): Incident => ({
    incidentId: 'INC-1',
    status: 'open',
    classification: 'payment-fraud',
    severity: 'P2',
    severityRuleVersion: 'v1',
    playbook: 'payment-fraud',
    correlationKeys: [],
    alertIds,
    openedAt: '2026-03-02T06:00:00Z',
    updatedAt: '2026-03-02T06:00:00Z',
    drill,
  });
  const store = (i: Incident | undefined) => ({ getIncident: async () => i });
  const drill = (sf: 'up' | 'down') => `drill-${sf}`;

  it('production incidents get production adapters', async () => {
    expect(
      await portsForIncident(
        { store: store(incident(false, [])), production: 'prod', drill },
        'INC-1',
      ),
    ).toBe('prod');
  });

  it('drill incidents get the sandbox, in the storefront mode of their run', async () => {
    const run = 'drill:gateway-fraud-burst.down.20260302t060000z:stripe:evt_1';
    expect(
      await portsForIncident(
        { store: store(incident(true, [run])), production: 'prod', drill },
        'INC-1',
      ),
    ).toBe('drill-down');
    expect(
      await portsForIncident(
        { store: store(incident(true, ['stripe:evt_1'])), production: 'prod', drill },
        'INC-1',
      ),
    ).toBe('drill-up');
  });

  it('an incident about drill media (raised by check-media) gets the storefront mode and run of its objects', async () => {
    const runId = 'deepfake-catalog-images.down.20260302t060000z';
    const seen: Array<[string, string | undefined]> = [];
    const byRun = (sf: 'up' | 'down', r?: string) => {
      seen.push([sf, r]);
      return `drill-${sf}`;
    };
    const i = {
      ...incident(true, ['media-synthetic-0123abcd']),
      correlationKeys: [
        'dataset:catalog',
        `mediaObject:s3://tq-media/drill/${runId}/catalog/product/d/r/sku-0007.jpg`,
      ],
    };
    expect(
      await portsForIncident({ store: store(i), production: 'prod', drill: byRun }, 'INC-1'),
    ).toBe('drill-down');
    expect(seen).toEqual([['down', runId]]);
  });

  it('a drill incident never falls back to production adapters', async () => {
    await expect(
      portsForIncident({ store: store(incident(true, [])), production: 'prod' }, 'INC-1'),
    ).rejects.toMatchObject({ name: 'NonRetryableError', message: /never used for drills/ });
  });
});
