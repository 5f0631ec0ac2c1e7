import { z } from 'zod';
import { ClassificationSchema, SeveritySchema } from './alert.ts';

/**
 * Which containment pass a `respond` execution runs: `full` (IncidentDeclared: the playbook) or
 * `incremental` (IncidentUpdated of a playbook with itemized levers: only the targets the
 * joining alert brought, e.g. one more flagged image; see shared/use-cases/containment/plan.ts).
 */
export const ContainmentPassSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('full') }),
  z.object({ mode: z.literal('incremental'), alertId: z.string().min(1) }),
]);
export type ContainmentPass = z.infer<typeof ContainmentPassSchema>;

/** Playbooks whose IncidentUpdated events start an incremental containment pass. */
export const INCREMENTAL_PLAYBOOKS = ['deepfake-media'] as const;

/** Input of the `respond` state machine after its first Pass state. */
export const RespondInputSchema = z.object({
  incidentId: z.string(),
  classification: ClassificationSchema,
  severity: SeveritySchema,
  playbook: z.string(),
  drill: z.boolean(),
  pass: ContainmentPassSchema.default({ mode: 'full' }),
});

export const ApprovalPolicySchema = z.object({
  required: z.boolean(),
  timeoutSeconds: z.number().int().nonnegative(),
  onTimeout: z.enum(['proceed', 'escalate']),
});

export const PlannedActionSchema = z.object({
  incidentId: z.string(),
  action: z.string(),
  autonomy: z.enum(['approval-required', 'contain-confirmed', 'contain-suspected']),
  branch: z.string().optional(),
  approval: ApprovalPolicySchema.optional(),
  /** Set by the approval gate / a human decision, recorded with the action. */
  decision: z.record(z.string(), z.unknown()).optional(),
});
export type PlannedAction = z.infer<typeof PlannedActionSchema>;

export const PlanOutputSchema = z.object({
  planned: z.number().int().nonnegative(),
  actions: z.array(PlannedActionSchema),
  branches: z.array(z.object({ branch: z.string(), actions: z.array(PlannedActionSchema) })),
});

/** Input of gate-containment: approval requests, decisions and escalations of one action. */
export const GateInputSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('request-approval'),
    incidentId: z.string(),
    action: z.string(),
    autonomy: z.string(),
    timeoutSeconds: z.number().int().nonnegative(),
    taskToken: z.string().min(1),
  }),
  z.object({
    op: z.literal('record-decision'),
    incidentId: z.string(),
    action: z.string(),
    outcome: z.enum(['granted', 'rejected', 'timeout']),
    onTimeout: z.enum(['proceed', 'escalate']).optional(),
    decision: z.unknown().optional(),
  }),
  z.object({
    op: z.literal('escalate'),
    incidentId: z.string(),
    action: z.string(),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }),
    taskToken: z.string().min(1),
  }),
]);
export type GateInput = z.infer<typeof GateInputSchema>;

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
  pass: ContainmentPassSchema.default({ mode: 'full' }),
});
