import { z } from 'zod';

/** Detail-type of the event a drill schedule puts on the bus (source `tourniquet.drill`). */
export const DRILL_REQUESTED = 'DrillRequested';

/**
 * Drill configuration (config/drills.json): EventBridge Scheduler expressions per scenario and the
 * sandbox / dry-run / simulator endpoints every side-effecting adapter uses in drill mode.
 */
export const DrillConfigSchema = z.strictObject({
  schedules: z.array(
    z.strictObject({
      scenario: z.string().regex(/^[a-z0-9-]+$/),
      expression: z.string().regex(/^(cron|rate|at)\(.+\)$/),
      storefront: z.enum(['up', 'down']).default('up'),
    }),
  ),
  timezone: z.string().default('UTC'),
  sandbox: z.strictObject({
    stripeApiBase: z.url(),
    /** Drills use test-mode keys only (sk_test_…). */
    stripeKeyMode: z.literal('test'),
    adyenApiBase: z
      .url()
      .refine((u) => u.includes('-test.'), 'Adyen drills use the test environment'),
    braintreeEnvironment: z.literal('sandbox'),
    kycVendorBase: z.url(),
    sesConfigurationSet: z.string().min(1),
    regulatorDelivery: z.literal('dry-run'),
    magentoBaseUrl: z.url(),
  }),
});
export type DrillConfig = z.infer<typeof DrillConfigSchema>;
