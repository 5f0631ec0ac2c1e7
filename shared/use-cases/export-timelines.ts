import { canonicalJson } from '#domain/canonical-json.ts';
import { verifyChain } from '#domain/timeline.ts';
import type { Clock } from '#ports/clock.ts';
import type { EvidenceStore } from '#ports/evidence-store.ts';
import type { IncidentStore } from '#ports/incident-store.ts';

export interface ExportDeps {
  store: Pick<IncidentStore, 'listIncidents' | 'readTimeline'>;
  evidence: EvidenceStore;
  clock: Clock;
}

export interface ExportResult {
  exported: Array<{ incidentId: string; entries: number; head: string; key: string }>;
  broken: Array<{ incidentId: string; brokenAt: number; reason: string }>;
}

/**
 * Scheduled export of every recent incident's timeline to the Object Lock evidence bucket. The
 * object key names the head (sequence and hash), so an unchanged timeline is written to the same
 * key again and a changed one to a new key: every exported state stays retrievable and locked.
 * A chain that does not verify is not exported over a good one; it is reported.
 */
export async function exportTimelines(deps: ExportDeps, limit = 200): Promise<ExportResult> {
  const out: ExportResult = { exported: [], broken: [] };
  for (const incident of await deps.store.listIncidents(limit)) {
    const entries = await deps.store.readTimeline(incident.incidentId);
    if (entries.length === 0) continue;
    const check = verifyChain(entries);
    if (!check.verified) {
      out.broken.push({
        incidentId: incident.incidentId,
        brokenAt: check.brokenAt,
        reason: check.reason,
      });
      continue;
    }
    const key = `timelines/${incident.incidentId}/${String(entries.length).padStart(8, '0')}-${check.head}.jsonl`;
    const body = `${entries.map((e) => canonicalJson(e)).join('\n')}\n`;
    await deps.evidence.put(key, body, 'application/x-ndjson', {
      'tourniquet:evidence': 'timeline',
      'tourniquet:head': check.head,
    });
    out.exported.push({
      incidentId: incident.incidentId,
      entries: entries.length,
      head: check.head,
      key,
    });
  }
  return out;
}
