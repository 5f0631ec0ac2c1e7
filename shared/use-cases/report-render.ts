import { renderHtml } from '#domain/report/html.ts';
import { renderMarkdown } from '#domain/report/markdown.ts';
import type { ReportDrillScore, ReportInput, ReportObligation } from '#domain/report/model.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { buildIncidentReport, type IncidentReport } from './report.ts';

export interface RenderedReport {
  input: ReportInput;
  markdown: string;
  html: string;
}

export interface ReportExtras {
  obligations?: ReportObligation[];
  drill?: ReportDrillScore;
  generatedAt: string;
}

/** Renders an IncidentReport (already read) as Markdown and self-contained HTML. */
export function renderReport(report: IncidentReport, extras: ReportExtras): RenderedReport {
  const input: ReportInput = {
    ...report,
    obligations: extras.obligations ?? obligationsFromTimeline(report),
    ...(extras.drill ? { drill: extras.drill } : {}),
    generatedAt: extras.generatedAt,
  };
  return { input, markdown: renderMarkdown(input), html: renderHtml(input) };
}

/** Reads the incident from the store and renders it. */
export async function renderIncidentReport(
  store: IncidentStore,
  incidentId: string,
  extras: ReportExtras,
): Promise<RenderedReport> {
  return renderReport(await buildIncidentReport(store, incidentId), extras);
}

/**
 * Obligations as the regulatory workflow records them on the timeline (`obligation.scheduled`
 * with regime/report/recipient/due/clockStart; `notification.drafted|sent|missed` with the same
 * regime/report), so a report needs no access to the regulatory stack's own table.
 */
export function obligationsFromTimeline(
  report: Pick<IncidentReport, 'timeline'>,
): ReportObligation[] {
  const out = new Map<string, ReportObligation>();
  const key = (d: Record<string, unknown>) => `${d.regime}/${d.report}/${d.recipient ?? ''}`;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  for (const e of report.timeline) {
    const d = e.data ?? {};
    if (typeof d.regime !== 'string' || typeof d.report !== 'string') continue;
    if (e.type === 'obligation.scheduled') {
      out.set(key(d), {
        regime: d.regime,
        report: d.report,
        recipient: str(d.recipient) ?? 'authority',
        due: str(d.due) ?? null,
        clockStart: str(d.clockStart) ?? e.at,
        status: 'pending',
      });
      continue;
    }
    const o =
      out.get(key(d)) ??
      [...out.values()].find((x) => x.regime === d.regime && x.report === d.report);
    if (!o) continue;
    if (e.type === 'notification.drafted' && o.status === 'pending') o.status = 'drafted';
    if (e.type === 'notification.sent') {
      o.status = 'sent';
      o.sentAt = e.at;
    }
    if (e.type === 'notification.missed') o.status = 'missed';
  }
  return [...out.values()];
}
