import type { ReportInput } from './model.ts';

/** Incident clocks derived from the timeline (seconds), shared by reports, drill scores and metrics. */
export interface IncidentClocks {
  /** First signal occurred → incident declared (time to detect). */
  detectSeconds: number | null;
  /** First signal received → classification recorded (time to classify). */
  classifySeconds: number | null;
  /** Incident opened → containment completed (or the last executed/verified step). */
  containSeconds: number | null;
  /** Incident opened → first regulator notification drafted. */
  firstRegulatorDraftSeconds: number | null;
  approvalsWaitedOn: number;
  stepsEscalated: number;
  stepsFailed: number;
}

type Clocked = Pick<ReportInput, 'incident' | 'alerts' | 'timeline'> & {
  /** Draft times from the regulator workflow's own store (it keeps its timeline apart). */
  regulatorDraftsAt?: string[];
};

const secs = (from: number, to: number | undefined) =>
  to === undefined || !Number.isFinite(from) || !Number.isFinite(to)
    ? null
    : Math.max(0, Math.round((to - from) / 100) / 10);

export function incidentClocks(r: Clocked): IncidentClocks {
  const at = (types: string[]) =>
    r.timeline.filter((e) => types.includes(e.type)).map((e) => Date.parse(e.at));
  const opened = Date.parse(r.incident.openedAt);
  const firstOccurred = Math.min(
    ...r.alerts.map((a) => Date.parse(a.occurredAt)).filter(Number.isFinite),
    ...at(['alert.received']),
    opened,
  );
  const firstReceived = Math.min(
    ...r.alerts.map((a) => Date.parse(a.receivedAt)).filter(Number.isFinite),
    ...at(['alert.received']),
    opened,
  );
  const declared = at(['incident.declared'])[0] ?? opened;
  const classified = at(['incident.classified'])[0] ?? at(['incident.declared'])[0];
  const completed = at(['containment.completed'])[0];
  const steps = at(['containment.executed', 'containment.verified']);
  const contained = completed ?? (steps.length > 0 ? Math.max(...steps) : undefined);
  const regulatorDraft = r.timeline.find(
    (e) =>
      (e.type === 'notification.drafted' || e.type === 'notification.sent') &&
      (e.data?.audience === undefined || e.data.audience === 'regulator'),
  );
  const drafts = [
    ...(regulatorDraft ? [Date.parse(regulatorDraft.at)] : []),
    ...(r.regulatorDraftsAt ?? []).map((t) => Date.parse(t)).filter(Number.isFinite),
  ];
  return {
    detectSeconds: secs(firstOccurred, declared),
    classifySeconds: secs(firstReceived, classified),
    containSeconds: secs(opened, contained),
    firstRegulatorDraftSeconds: secs(opened, drafts.length ? Math.min(...drafts) : undefined),
    approvalsWaitedOn: at(['approval.requested']).length,
    stepsEscalated: at(['escalation.raised']).length,
    stepsFailed: at(['containment.failed']).length,
  };
}
