import { z } from 'zod';

/**
 * Input of the `override` state machine (started from the Step Functions console or
 * `tourniquet override --input FILE`). See docs/overrides.md for one example per override.
 */
const base = {
  incidentId: z.string().min(1).max(100),
  approver: z.string().min(2).max(80),
  reason: z.string().min(5).max(500),
};
/** A playbook action, or an incremental containment pass of one (`<action>#<12 hex>`). */
const action = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+(#[0-9a-f]{12})?$/);

export const OverrideInputSchema = z.discriminatedUnion('override', [
  z.object({ override: z.literal('release-action'), action, ...base }).strict(),
  z.object({ override: z.literal('skip-step'), action, ...base }).strict(),
  z.object({ override: z.literal('retry-step'), action, ...base }).strict(),
  z.object({ override: z.literal('force-approve'), action, ...base }).strict(),
  z.object({ override: z.literal('close-incident'), ...base }).strict(),
]);
export type OverrideInput = z.infer<typeof OverrideInputSchema>;
