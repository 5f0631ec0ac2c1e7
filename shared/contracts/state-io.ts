import { z } from 'zod';
import { ClassificationSchema, SeveritySchema } from './alert.ts';

/** Input of the `respond` state machine after its first Pass state. */
export const RespondInputSchema = z.object({
  incidentId: z.string(),
  classification: ClassificationSchema,
  severity: SeveritySchema,
  playbook: z.string(),
  drill: z.boolean(),
});

export const PlannedActionSchema = z.object({
  incidentId: z.string(),
  action: z.string(),
  autonomy: z.enum(['approval-required', 'contain-confirmed', 'contain-suspected']),
});
export type PlannedAction = z.infer<typeof PlannedActionSchema>;

export const PlanOutputSchema = z.object({ actions: z.array(PlannedActionSchema) });

export const ActionResultSchema = z.object({
  action: z.string(),
  status: z.enum(['executed', 'skipped', 'failed', 'released']),
  changed: z.number().int(),
  verified: z.boolean(),
  reversible: z.boolean(),
});
export type ActionResult = z.infer<typeof ActionResultSchema>;

export const EscalateInputSchema = z.object({
  incidentId: z.string(),
  step: z.string(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
});

export const CloseContainmentInputSchema = z.object({
  incidentId: z.string(),
  results: z.array(z.unknown()),
});
