import { z } from 'zod';
import { ClassificationSchema, SeveritySchema } from './alert.ts';

/** Event bus name and sources: infra (rules) and runtime (PutEvents) share these. */
export const BUS_NAME = 'tourniquet';
export const EVENT_SOURCE = {
  ingest: 'tourniquet.ingest',
  triage: 'tourniquet.triage',
  regulatory: 'tourniquet.regulatory',
  drill: 'tourniquet.drill',
  media: 'tourniquet.media',
  scope: 'tourniquet.scope',
} as const;

export const DETAIL_TYPE = {
  alert: 'Alert',
  incidentDeclared: 'IncidentDeclared',
  incidentUpdated: 'IncidentUpdated',
  incidentClassified: 'IncidentClassified',
  /** Scope assessment (issue 7) → regulator workflow: counts per jurisdiction + data categories (see regulatory-workflow.ts ScopeAssessedDetailSchema). */
  scopeAssessed: 'ScopeAssessed',
  /** Extra regulatory facts or notice narrative (RegulatoryFactsUpdatedSchema). */
  regulatoryFactsUpdated: 'RegulatoryFactsUpdated',
} as const;

export const IncidentEventSchema = z.object({
  incidentId: z.string(),
  classification: ClassificationSchema,
  severity: SeveritySchema,
  playbook: z.string(),
  alertId: z.string(),
  drill: z.boolean(),
});
export type IncidentEvent = z.infer<typeof IncidentEventSchema>;
