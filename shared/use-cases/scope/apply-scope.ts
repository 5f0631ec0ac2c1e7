import { DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import {
  type ScopeAssessedDetail,
  ScopeAssessedDetailSchema,
} from '#contracts/regulatory-workflow.ts';
import { batches } from '#domain/notify/templates.ts';
import type { ScopeResult } from '#domain/scope/assess.ts';
import type { Clock } from '#ports/clock.ts';
import type { EventPublisher } from '#ports/event-publisher.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import type { NotifyStore, RecipientFileWriter, ScopeSource } from '#ports/notify.ts';
import { IncidentNotFoundError } from '#runtime/errors.ts';

/**
 * Applies a scope result to an incident: stores it (with the recipient batch file for the notify
 * workflow), appends `scope.assessed` to the timeline and publishes `ScopeAssessed` with the
 * IncidentFacts-shaped `subjects` and `dataCategories`, so the regulator workflow reschedules.
 * Re-applying an identical result does not append a second timeline entry.
 */

export interface ApplyScopeDeps {
  store: IncidentStore;
  notify: NotifyStore;
  files: RecipientFileWriter;
  events: EventPublisher;
  clock: Clock;
}

export interface ApplyScopeOutput {
  incidentId: string;
  subjects: ScopeResult['subjects'];
  dataCategories: ScopeResult['dataCategories'];
  affected: ScopeResult['affected'];
  confidence: ScopeResult['confidence']['level'];
  recipients: number;
  batches: number;
  unchanged: boolean;
}

/** Keeps the stored item small (DynamoDB 400 KB): at most 100 financial-record references. */
function compact(r: ScopeResult): ScopeResult {
  const refs = r.financialRecords.references;
  if (refs.length <= 100) return r;
  return {
    ...r,
    financialRecords: {
      ...r.financialRecords,
      references: refs.slice(0, 100),
      referencesTruncated: true,
    },
  };
}

const fingerprint = (r: ScopeResult, recipients: number) =>
  JSON.stringify([r.subjects, r.dataCategories, r.affected, r.artefact.rows, recipients]);

export async function applyScope(
  deps: ApplyScopeDeps,
  input: { incidentId: string; result: ScopeResult; recipients: string[] },
): Promise<ApplyScopeOutput> {
  const { incidentId, result } = input;
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw new IncidentNotFoundError(`incident ${incidentId} not found`);
  const at = deps.clock.now().toISOString();
  const recipients = [...new Set(input.recipients)];
  const prev = await deps.notify.getScope(incidentId);
  const unchanged =
    prev !== undefined &&
    fingerprint(prev.result, prev.recipients) === fingerprint(result, recipients.length);

  const groups = [...batches(recipients, 50)].map((r, batchNo) => ({ batchNo, recipients: r }));
  const recipientFile =
    groups.length > 0
      ? await deps.files.write(`notify/${incidentId}/recipients.json`, groups)
      : null;
  await deps.notify.putScope({
    incidentId,
    assessedAt: at,
    result: compact(result),
    recipients: recipients.length,
    recipientFile,
  });
  if (!unchanged) {
    await deps.store.appendTimeline(incidentId, {
      type: 'scope.assessed',
      at,
      actor: 'assess-scope',
      summary: `Scope of ${result.artefact.kind} (${result.artefact.rows} rows): ${result.affected.total} affected in ${result.subjects.length} jurisdiction(s), ${result.dataCategories.length} data categories, confidence ${result.confidence.level}`,
      data: {
        artefact: {
          file: result.artefact.file,
          kind: result.artefact.kind,
          rows: result.artefact.rows,
        },
        subjects: result.subjects,
        dataCategories: result.dataCategories,
        affected: result.affected,
        financialRecords: {
          orders: result.financialRecords.orders,
          storedCards: result.financialRecords.storedCards,
          ledgerAccounts: result.financialRecords.ledgerAccounts,
        },
        unmatchedRows: result.unmatched.rows,
        confidence: result.confidence.level,
        recipients: recipients.length,
      },
    });
  }
  // Validated against the regulator workflow's contract before it leaves (country codes etc.).
  const detail: ScopeAssessedDetail = ScopeAssessedDetailSchema.parse({
    incidentId,
    assessedAt: at,
    subjects: result.subjects,
    dataCategories: result.dataCategories,
    records: result.affected.total,
    drill: incident.drill,
  });
  await deps.events.publish([
    { source: EVENT_SOURCE.scope, detailType: DETAIL_TYPE.scopeAssessed, detail },
  ]);
  return {
    incidentId,
    subjects: result.subjects,
    dataCategories: result.dataCategories,
    affected: result.affected,
    confidence: result.confidence.level,
    recipients: recipients.length,
    batches: groups.length,
    unchanged,
  };
}

/** Runs the assessment (a port: S3 stream or local file) and applies it. */
export async function assessAndApplyScope(
  deps: ApplyScopeDeps & { source: ScopeSource },
  input: { incidentId: string; useMap: boolean },
): Promise<ApplyScopeOutput> {
  const { result, recipients } = await deps.source.assess({ useMap: input.useMap });
  return applyScope(deps, { incidentId: input.incidentId, result, recipients });
}
