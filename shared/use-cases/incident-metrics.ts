import { incidentClocks } from '#domain/report/metrics.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { buildIncidentReport } from './report.ts';
import { obligationsFromTimeline } from './report-render.ts';

export const METRICS_NAMESPACE = 'Tourniquet';
/** Drill incidents go to their own namespace so they never count in production metrics. */
export const DRILL_METRICS_NAMESPACE = 'Tourniquet/Drill';

export interface MetricRecord {
  namespace: string;
  dimensions: Record<string, string>;
  values: Record<string, number>;
  unit: 'Seconds';
}

/**
 * MTTD (first signal → incident declared), MTTC (incident opened → contained) per classification,
 * and time-to-notify (clock start → sent) per regime, from the incident's own timeline.
 */
export async function incidentMetrics(
  deps: { store: IncidentStore },
  input: { incidentId: string },
): Promise<MetricRecord[]> {
  const report = await buildIncidentReport(deps.store, input.incidentId);
  const c = incidentClocks(report);
  const namespace = report.incident.drill ? DRILL_METRICS_NAMESPACE : METRICS_NAMESPACE;
  const out: MetricRecord[] = [];
  const values: Record<string, number> = {};
  if (c.detectSeconds !== null) values.MTTD = c.detectSeconds;
  if (c.containSeconds !== null) values.MTTC = c.containSeconds;
  if (Object.keys(values).length)
    out.push({
      namespace,
      dimensions: { Classification: report.incident.classification },
      values,
      unit: 'Seconds',
    });
  for (const o of obligationsFromTimeline(report)) {
    if (!o.sentAt || !o.clockStart) continue;
    out.push({
      namespace,
      dimensions: { Regime: o.regime },
      values: {
        TimeToNotify: Math.round((Date.parse(o.sentAt) - Date.parse(o.clockStart)) / 1000),
      },
      unit: 'Seconds',
    });
  }
  return out;
}
