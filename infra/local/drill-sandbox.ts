import type { DrillSandboxEnv } from '#contracts/drills.ts';

/**
 * On the local runtime the simulators and stand-ins ARE the drill sandbox: DRILL_SANDBOX of the
 * lever functions is rewritten so drill incidents reach the Stripe / Adyen simulators with the
 * local test-mode key, and every other lever keeps its local (stand-in) configuration.
 */
export function localDrillSandbox(
  vars: Record<string, string>,
  endpoints: Record<string, string>,
): string {
  const { DRILL_SANDBOX: _own, ...rest } = vars;
  const sandbox: DrillSandboxEnv = {
    stripeApiBase: endpoints.stripe!,
    stripeKeySecretArn: vars.STRIPE_API_KEY_SECRET_ARN!,
    stripeKnownWebhookUrls: (vars.STRIPE_KNOWN_WEBHOOK_URLS ?? '').split(',').filter(Boolean),
    adyenApiBase: endpoints.adyen!,
    ...(vars.ADYEN_API_KEY_SECRET_ARN ? { adyenKeySecretArn: vars.ADYEN_API_KEY_SECRET_ARN } : {}),
    ...(vars.MAGENTO_DB_SECRET_ARN ? { magentoDbSecretArn: vars.MAGENTO_DB_SECRET_ARN } : {}),
    ...(vars.KYC_API_BASE ? { kycVendorBase: vars.KYC_API_BASE } : {}),
    ...(vars.KYC_API_KEY_SECRET_ARN ? { kycKeySecretArn: vars.KYC_API_KEY_SECRET_ARN } : {}),
    leverEnv: rest,
  };
  return JSON.stringify(sandbox);
}
