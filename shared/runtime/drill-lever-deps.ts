import {
  DRILL_ENV,
  DRILL_MEDIA_PREFIX,
  type DrillSandboxEnv,
  DrillSandboxEnvSchema,
  UNREACHABLE_ENDPOINT,
} from '#contracts/drills.ts';
import { ContainmentLeversEnvSchema, ENV } from '#contracts/env.ts';
import { MEDIA_ENV, MediaLeversEnvSchema } from '#contracts/media.ts';
import type { LeverPorts } from '#use-cases/containment/levers.ts';
import type { RuntimeConfig } from './config.ts';
import { NonRetryableError } from './errors.ts';
import { buildLeverPorts } from './lever-deps.ts';

/** Every environment variable that configures a lever: none of them reaches a drill incident. */
const LEVER_KEYS = new Set<string>([
  ENV.stripeApiKeySecretArn,
  ENV.stripeApiBase,
  ENV.stripeKnownWebhookUrls,
  ...Object.keys(ContainmentLeversEnvSchema.shape),
  ...Object.keys(MediaLeversEnvSchema.shape),
]);

const TEST_MODE_KEY = /^(sk|rk)_test_/;

/**
 * The runtime a drill incident's levers are built from: production lever configuration removed,
 * the sandbox endpoints and the drill's own secrets in its place (`leverEnv` names drill-owned AWS
 * resources), and a Stripe key that must be a test-mode key. `storefront: down` points the
 * storefront-side endpoints (gateways, KYC vendor) at an address that refuses connections and
 * leaves the Magento database and host unconfigured.
 */
export function drillRuntime(
  rt: RuntimeConfig,
  sb: DrillSandboxEnv,
  storefront: 'up' | 'down',
  runId?: string,
): RuntimeConfig {
  const down = storefront === 'down';
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(rt.env))
    if (!LEVER_KEYS.has(k) && k !== DRILL_ENV.sandbox) env[k] = v;
  Object.assign(env, sb.leverEnv, {
    [ENV.stripeApiBase]: down ? UNREACHABLE_ENDPOINT : sb.stripeApiBase,
    [ENV.stripeApiKeySecretArn]: sb.stripeKeySecretArn,
    [ENV.stripeKnownWebhookUrls]: sb.stripeKnownWebhookUrls.join(','),
    [ENV.adyenApiBase]: down ? UNREACHABLE_ENDPOINT : sb.adyenApiBase,
  });
  if (sb.adyenKeySecretArn) env[ENV.adyenApiKeySecretArn] = sb.adyenKeySecretArn;
  if (sb.magentoDbSecretArn) env[ENV.magentoDbSecretArn] = sb.magentoDbSecretArn;
  if (sb.kycVendorBase) env[MEDIA_ENV.kycApiBase] = down ? UNREACHABLE_ENDPOINT : sb.kycVendorBase;
  if (sb.kycKeySecretArn) env[MEDIA_ENV.kycApiKeySecretArn] = sb.kycKeySecretArn;
  if (down) {
    delete env[ENV.magentoDbSecretArn];
    delete env[ENV.magentoSsmTargets];
  }
  // A scheduled drill's catalog images live under drill/<run id>/<catalog prefix>/: the gallery
  // lever maps them to the same gallery values as the production layout.
  if (runId) {
    const base = (sb.leverEnv[MEDIA_ENV.catalogPrefix] ?? 'catalog/product').replace(/^\/+/, '');
    env[MEDIA_ENV.catalogPrefix] = `${DRILL_MEDIA_PREFIX}${runId}/${base}`;
  }
  return {
    ...rt,
    env,
    secret: async (id) => {
      const v = await rt.secret(id);
      if (id === sb.stripeKeySecretArn && !TEST_MODE_KEY.test(v))
        throw new NonRetryableError(
          'drill mode: the drill Stripe key is not a test-mode key (sk_test_/rk_test_); refusing to call Stripe',
        );
      return v;
    },
  };
}

/** Lever ports of drill incidents (one set per storefront mode), or undefined without DRILL_SANDBOX. */
export function buildDrillLeverPorts(
  rt: RuntimeConfig,
): ((storefront: 'up' | 'down', runId?: string) => LeverPorts) | undefined {
  const raw = rt.env[DRILL_ENV.sandbox];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`Invalid environment: ${DRILL_ENV.sandbox}: not JSON`);
  }
  const r = DrillSandboxEnvSchema.safeParse(parsed);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `Invalid environment: ${DRILL_ENV.sandbox}.${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`,
    );
  }
  const cache = new Map<string, LeverPorts>();
  return (storefront, runId) => {
    const k = `${storefront}|${runId ?? ''}`;
    let p = cache.get(k);
    if (!p) {
      if (cache.size >= 16) cache.clear();
      p = buildLeverPorts(drillRuntime(rt, r.data, storefront, runId));
      cache.set(k, p);
    }
    return p;
  };
}
