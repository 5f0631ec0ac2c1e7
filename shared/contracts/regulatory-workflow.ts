import { z } from 'zod';
import { DATA_CATEGORIES } from '#domain/regulatory/types.ts';
import {
  EntitySchema,
  IncidentFactsSchema,
  SubjectSchema,
  TimelineSchema,
} from './incident-facts.ts';
import { ObligationSchema } from './obligations.ts';

/**
 * Contracts of the regulator workflow (issue 4): its own bus, its environment, the facts updates
 * it accepts and the state I/O of the `regulatory-clock` state machine. The regulatory stack
 * (infra) and the `regulatory-*` functions share these names.
 */

/** The regulatory stack's own bus (the responder's bus forwards incident events to it). */
export const REGULATORY_BUS_NAME = 'tourniquet-regulatory';
export const REGULATORY_STATE_MACHINE = 'regulatory-clock';
export const REGULATORY_SCHEDULE_GROUP = 'tourniquet-regulatory';

export const REG_ENV = {
  table: 'REGULATORY_TABLE',
  evidenceBucket: 'REGULATORY_EVIDENCE_BUCKET',
  busName: 'REGULATORY_BUS_NAME',
  stateMachineArn: 'REGULATORY_STATE_MACHINE_ARN',
  remindFunctionArn: 'REGULATORY_REMIND_FUNCTION_ARN',
  schedulerRoleArn: 'REGULATORY_SCHEDULER_ROLE_ARN',
  scheduleGroup: 'REGULATORY_SCHEDULE_GROUP',
  profile: 'REGULATORY_PROFILE',
  stage: 'TOURNIQUET_STAGE',
  /** JSON of RegulatoryDrillDeliverySchema: where regulatory-send delivers the notices of a drill case. */
  drillDelivery: 'REGULATORY_DRILL_DELIVERY',
} as const;

const email = z.email();

/** Who receives what: authority addresses by `regime/recipient`, `recipient`, or `*` (fallback). */
export const ContactsSchema = z.strictObject({
  sender: email,
  complianceOfficer: email,
  escalation: email,
  /** Contact point named in GDPR 33(3)(b) notices (a role mailbox, not a person). */
  contactPoint: z.string().min(1),
  authorities: z.record(z.string().min(1), email),
});
export type Contacts = z.infer<typeof ContactsSchema>;

/** Static facts of the reporting entity, configured at deploy time and copied per incident. */
export const RegulatoryProfileSchema = z.strictObject({
  entity: EntitySchema,
  groupEntities: z.array(EntitySchema).optional(),
  contacts: ContactsSchema,
  /** EU database id etc. of an AI system named in AI Act reports. */
  aiSystemId: z.string().optional(),
});
export type RegulatoryProfile = z.infer<typeof RegulatoryProfileSchema>;

/** A partial update of the facts (never entity or prior submissions: those are owned here). */
export const FactsPatchSchema = IncidentFactsSchema.omit({
  entity: true,
  groupEntities: true,
  priorSubmissions: true,
  timeline: true,
})
  .partial()
  .extend({ timeline: TimelineSchema.partial().optional() });
export type FactsPatch = z.infer<typeof FactsPatchSchema>;

/** Free-text parts of the notices that no engine can know (GDPR 33(3)(c)/(d), DORA, SEC). */
export const NarrativeSchema = z.strictObject({
  natureOfBreach: z.string().max(2000).optional(),
  likelyConsequences: z.string().max(2000).optional(),
  measuresTaken: z.array(z.string().max(500)).max(30).optional(),
  measuresProposed: z.array(z.string().max(500)).max(30).optional(),
  discovery: z.string().max(1000).optional(),
  rootCause: z.string().max(2000).optional(),
  materialImpact: z.string().max(2000).optional(),
  delayReasons: z.string().max(2000).optional(),
});
export type Narrative = z.infer<typeof NarrativeSchema>;

/** Detail of `ScopeAssessed` (published by scope assessment): counts only, never identities. */
export const ScopeAssessedDetailSchema = z.object({
  incidentId: z.string().min(1),
  assessedAt: z.string().optional(),
  subjects: z.array(SubjectSchema),
  dataCategories: z.array(z.enum(DATA_CATEGORIES)),
  records: z.int().min(0).optional(),
  facts: FactsPatchSchema.optional(),
  drill: z.boolean().optional(),
});
export type ScopeAssessedDetail = z.infer<typeof ScopeAssessedDetailSchema>;

/** Detail of `RegulatoryFactsUpdated` (a compliance officer or another step adds facts). */
export const RegulatoryFactsUpdatedSchema = z.object({
  incidentId: z.string().min(1),
  facts: FactsPatchSchema.optional(),
  narrative: NarrativeSchema.optional(),
});

/** What regulatory-intake receives: an EventBridge event (any of the forwarded detail types). */
export const IntakeEventSchema = z.object({
  'detail-type': z.string(),
  time: z.string(),
  detail: z.looseObject({ incidentId: z.string().min(1) }),
});

export const ObligationKeyInputSchema = z.object({
  incidentId: z.string().min(1),
  factsHash: z.string().min(8),
  executionId: z.string().optional(),
});

export const PlanInputSchema = ObligationKeyInputSchema;
export const PlanOutputSchema = z.object({
  incidentId: z.string(),
  factsHash: z.string(),
  superseded: z.boolean(),
  items: z.array(z.object({ key: z.string(), regime: z.string(), report: z.string() })),
});

export const ItemInputSchema = ObligationKeyInputSchema.extend({ key: z.string().min(3) });
export const ApprovalRequestInputSchema = ItemInputSchema.extend({ taskToken: z.string().min(1) });
export const SendInputSchema = ItemInputSchema.extend({
  approval: z.object({
    approved: z.literal(true),
    approver: z.string().min(1).max(80),
    reason: z.string().max(500).optional(),
  }),
});
export const EscalateInputSchema = ItemInputSchema.extend({
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
});

export const REMINDER_STAGES = ['T-24h', 'T-4h', 'T-1h', 'due'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];
export const RemindInputSchema = z.object({
  incidentId: z.string().min(1),
  key: z.string().min(3),
  stage: z.enum(REMINDER_STAGES),
  due: z.string(),
});

/**
 * Delivery of a drill case's notices (a case whose incident is `drill: true`): never the
 * authority. `dry-run` files the rendered notice as evidence and records it as delivered without
 * sending anything; `drill-recipient` sends it, marked as a drill, to a configured drill mailbox
 * (an internal address or the SES mailbox simulator). Unset = `dry-run`.
 */
export const RegulatoryDrillDeliverySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('dry-run') }),
  z.strictObject({ mode: z.literal('drill-recipient'), to: email }),
]);
export type RegulatoryDrillDelivery = z.infer<typeof RegulatoryDrillDeliverySchema>;

export const RegulatoryEnvSchema = z.object({
  [REG_ENV.table]: z.string().min(3),
  [REG_ENV.stage]: z.string().default('prod'),
  [REG_ENV.evidenceBucket]: z.string().min(3).optional(),
  [REG_ENV.busName]: z.string().default(REGULATORY_BUS_NAME),
  [REG_ENV.stateMachineArn]: z.string().optional(),
  [REG_ENV.remindFunctionArn]: z.string().optional(),
  [REG_ENV.schedulerRoleArn]: z.string().optional(),
  [REG_ENV.scheduleGroup]: z.string().default(REGULATORY_SCHEDULE_GROUP),
  [REG_ENV.profile]: z.string().optional(),
  [REG_ENV.drillDelivery]: z.string().optional(),
});

export { ObligationSchema };
