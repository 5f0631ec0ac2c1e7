import { z } from 'zod';

/**
 * A drill scenario (scenarios/*.json) is data: injected signals, seeds of the local stand-ins, the
 * expected playbook, containment, obligations and pass criteria. The local runtime (infra/local/drill.ts)
 * and the AWS drill (functions/run-drill.ts, score-drill.ts) read the same files.
 */
export const InjectSchema = z.object({
  via: z.string().min(1),
  offsetSeconds: z.number().nonnegative().default(0),
  /** Deliver again exactly what injection N delivered (a replayed webhook). */
  replayOf: z.number().int().nonnegative().optional(),
  event: z.record(z.string(), z.unknown()).optional(),
});

const ItemChangesSchema = z.record(z.string(), z.number().int().nonnegative());

export const ScenarioSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string(),
  stage: z.string().default('drill'),
  context: z.record(z.string(), z.unknown()).default({}),
  seed: z
    .object({
      stripe: z
        .object({
          endpoints: z
            .array(
              z.object({
                id: z.string(),
                url: z.string(),
                status: z.enum(['enabled', 'disabled']),
              }),
            )
            .default([]),
          intents: z
            .array(
              z.object({
                id: z.string(),
                status: z.string(),
                customer: z.string().optional(),
                amount: z.number().optional(),
              }),
            )
            .default([]),
        })
        .optional(),
    })
    .passthrough()
    .default({}),
  inject: z.array(InjectSchema).min(1),
  expect: z
    .object({
      incidents: z.number().int().nonnegative(),
      playbook: z.string(),
      classification: z.string(),
      containment: z.array(z.string()),
      /**
       * Items each playbook action must have changed, summed over its passes (objects held,
       * gallery rows disabled, applications held): every flagged target contained, none twice.
       */
      changes: ItemChangesSchema.optional(),
      simulator: z
        .object({
          stripe: z.array(z.object({ method: z.string(), path: z.string() })).default([]),
          stripeUntouched: z.array(z.string()).default([]),
        })
        .partial()
        .default({}),
    })
    .passthrough(),
  /**
   * Pass criteria with `--storefront down` (Magento, its DB and hosts, the gateways unreachable):
   * actions that must still execute, and actions that must escalate instead of blocking.
   */
  expectDown: z
    .object({
      containment: z.array(z.string()),
      escalated: z.array(z.string()).default([]),
      /** Items changed per playbook action with the storefront down (see expect.changes). */
      changes: ItemChangesSchema.optional(),
    })
    .optional(),
  /** Release every executed action at the end of the drill (console `release-action` path). */
  release: z.boolean().default(false),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
