import type { TimelineEntryType } from '../timeline.ts';
import type { ReportInput } from './model.ts';

/** The incident-over-time chart as pure geometry; `renderChartSvg` only draws it. */
export const LANES = ['Alerts', 'Incident', 'Containment', 'Approvals', 'Notifications'] as const;
export type Lane = (typeof LANES)[number];

export type MarkKind =
  | 'alert'
  | 'incident'
  | 'ok'
  | 'failed'
  | 'released'
  | 'wait'
  | 'sent'
  | 'missed';

export interface ChartMark {
  lane: Lane;
  x: number;
  y: number;
  kind: MarkKind;
  label: string;
  at: string;
}
export interface ChartDue {
  x: number;
  label: string;
  due: string;
  /** Seconds between the send (or the report) and the due time; negative = late. */
  marginSeconds: number | null;
  met: boolean | null;
}
export interface ChartGeometry {
  width: number;
  height: number;
  plot: { x0: number; x1: number; y0: number; y1: number };
  lanes: Array<{ lane: Lane; y: number }>;
  marks: ChartMark[];
  dues: ChartDue[];
  ticks: Array<{ x: number; label: string }>;
  start: string;
  end: string;
  /** 'sqrt': minutes of containment and 72-hour deadlines on one readable axis. */
  scale: 'sqrt';
}

const LANE_OF: Partial<Record<TimelineEntryType, [Lane, MarkKind]>> = {
  'alert.received': ['Alerts', 'alert'],
  'incident.declared': ['Incident', 'incident'],
  'incident.classified': ['Incident', 'incident'],
  'incident.closed': ['Incident', 'incident'],
  'containment.executed': ['Containment', 'ok'],
  'containment.verified': ['Containment', 'ok'],
  'containment.failed': ['Containment', 'failed'],
  'containment.released': ['Containment', 'released'],
  'containment.completed': ['Containment', 'ok'],
  'recovery.gated': ['Containment', 'wait'],
  'approval.requested': ['Approvals', 'wait'],
  'approval.granted': ['Approvals', 'ok'],
  'approval.rejected': ['Approvals', 'failed'],
  'escalation.raised': ['Approvals', 'failed'],
  'notification.drafted': ['Notifications', 'wait'],
  'notification.sent': ['Notifications', 'sent'],
  'notification.missed': ['Notifications', 'missed'],
};

const TICKS_S = [
  0,
  10,
  30,
  60,
  300,
  900,
  3600,
  6 * 3600,
  24 * 3600,
  72 * 3600,
  7 * 86400,
  30 * 86400,
];

export function durationLabel(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400 * 2) return `${Math.round(s / 360) / 10}h`.replace('.0h', 'h');
  return `${Math.round(s / 8640) / 10}d`.replace('.0d', 'd');
}

export function buildChart(input: ReportInput, width = 960): ChartGeometry {
  const laneH = 44;
  const plot = { x0: 120, x1: width - 30, y0: 30, y1: 30 + laneH * LANES.length };
  const height = plot.y1 + 40;
  const events: Array<{ at: number; lane: Lane; kind: MarkKind; label: string; iso: string }> = [];
  for (const e of input.timeline) {
    const hit = LANE_OF[e.type];
    if (hit)
      events.push({ at: Date.parse(e.at), lane: hit[0], kind: hit[1], label: e.type, iso: e.at });
  }
  for (const a of input.alerts) {
    if (!input.timeline.some((e) => e.type === 'alert.received' && e.data?.alertId === a.alertId))
      events.push({
        at: Date.parse(a.receivedAt),
        lane: 'Alerts',
        kind: 'alert',
        label: a.kind,
        iso: a.receivedAt,
      });
  }
  const obligations = input.obligations ?? [];
  for (const o of obligations) {
    if (o.sentAt && !events.some((e) => e.lane === 'Notifications' && e.iso === o.sentAt))
      events.push({
        at: Date.parse(o.sentAt),
        lane: 'Notifications',
        kind: o.status === 'missed' ? 'missed' : 'sent',
        label: `${o.regime} ${o.report}`,
        iso: o.sentAt,
      });
  }
  const times = [
    Date.parse(input.incident.openedAt),
    ...events.map((e) => e.at),
    ...obligations.flatMap((o) => (o.due ? [Date.parse(o.due)] : [])),
  ].filter(Number.isFinite);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 60_000);
  const span = (t1 - t0) / 1000;
  const x = (ms: number) =>
    round(plot.x0 + (plot.x1 - plot.x0) * Math.sqrt(Math.max(0, (ms - t0) / 1000) / span));
  const laneY = (lane: Lane) => plot.y0 + laneH * LANES.indexOf(lane) + laneH / 2;

  const marks: ChartMark[] = events
    .sort((a, b) => a.at - b.at)
    .map((e) => ({
      lane: e.lane,
      x: x(e.at),
      y: laneY(e.lane),
      kind: e.kind,
      label: e.label,
      at: e.iso,
    }));
  const generated = Date.parse(input.generatedAt);
  const dues: ChartDue[] = obligations
    .filter((o): o is typeof o & { due: string } => o.due !== null)
    .map((o) => {
      const due = Date.parse(o.due);
      const done = o.sentAt ? Date.parse(o.sentAt) : undefined;
      const margin = done !== undefined ? (due - done) / 1000 : (due - generated) / 1000;
      return {
        x: x(due),
        label: `${o.regime} ${o.report}`,
        due: o.due,
        marginSeconds: Number.isFinite(margin) ? Math.round(margin) : null,
        met: done !== undefined ? done <= due : due >= generated ? null : false,
      };
    });
  const ticks: ChartGeometry['ticks'] = [];
  for (const s of [...TICKS_S.filter((t) => t < span), span]) {
    const tx = x(t0 + s * 1000);
    const last = ticks[ticks.length - 1];
    if (last && tx - last.x < 48) {
      if (s === span) ticks[ticks.length - 1] = { x: tx, label: durationLabel(s) };
      continue;
    }
    ticks.push({ x: tx, label: durationLabel(s) });
  }
  return {
    width,
    height,
    plot,
    lanes: LANES.map((lane) => ({ lane, y: laneY(lane) })),
    marks,
    dues,
    ticks,
    start: new Date(t0).toISOString(),
    end: new Date(t1).toISOString(),
    scale: 'sqrt',
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

const COLOUR: Record<MarkKind, string> = {
  alert: '#d9480f',
  incident: '#5f3dc4',
  ok: '#2b8a3e',
  failed: '#c92a2a',
  released: '#868e96',
  wait: '#e67700',
  sent: '#1864ab',
  missed: '#c92a2a',
};

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Inline SVG (no scripts, no external references). Labels are escaped by the caller's rules too. */
export function renderChartSvg(g: ChartGeometry): string {
  const { plot } = g;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="incident-chart" role="img" aria-label="Incident over time" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}">`,
  );
  out.push(`<rect x="0" y="0" width="${g.width}" height="${g.height}" fill="#ffffff"/>`);
  for (const l of g.lanes) {
    out.push(
      `<line x1="${plot.x0}" y1="${l.y}" x2="${plot.x1}" y2="${l.y}" stroke="#dee2e6" stroke-width="1"/>`,
      `<text x="${plot.x0 - 8}" y="${l.y + 4}" text-anchor="end" font-size="12" fill="#343a40">${escapeXml(l.lane)}</text>`,
    );
  }
  out.push(
    `<line x1="${plot.x0}" y1="${plot.y1}" x2="${plot.x1}" y2="${plot.y1}" stroke="#495057" stroke-width="1"/>`,
  );
  for (const t of g.ticks) {
    out.push(
      `<line x1="${t.x}" y1="${plot.y1}" x2="${t.x}" y2="${plot.y1 + 5}" stroke="#495057"/>`,
      `<text x="${t.x}" y="${plot.y1 + 18}" text-anchor="middle" font-size="11" fill="#495057">+${escapeXml(t.label)}</text>`,
    );
  }
  // one label per cluster of nearby due lines, alternating rows so neighbours never overlap
  const clusters: Array<{ x: number; labels: string[] }> = [];
  for (const d of [...g.dues].sort((a, b) => a.x - b.x)) {
    const colour = d.met === false ? '#c92a2a' : '#1864ab';
    out.push(
      `<line class="due" x1="${d.x}" y1="${plot.y0}" x2="${d.x}" y2="${plot.y1}" stroke="${colour}" stroke-width="2" stroke-dasharray="5 4"><title>${escapeXml(`${d.label} due ${d.due}`)}</title></line>`,
    );
    const name = d.label.split(' ')[0] ?? '';
    const last = clusters[clusters.length - 1];
    if (last && d.x - last.x < 60) {
      if (!last.labels.includes(name)) last.labels.push(name);
    } else clusters.push({ x: d.x, labels: [name] });
  }
  clusters.forEach((c, i) => {
    out.push(
      `<text x="${c.x}" y="${plot.y0 - (i % 2 === 0 ? 6 : 18)}" text-anchor="middle" font-size="10" fill="#343a40">${escapeXml(c.labels.join(', '))} due</text>`,
    );
  });
  for (const m of g.marks) {
    const c = COLOUR[m.kind];
    out.push(
      m.kind === 'failed' || m.kind === 'missed'
        ? `<rect class="mark" x="${m.x - 6}" y="${m.y - 6}" width="12" height="12" fill="${c}"><title>${escapeXml(`${m.label} ${m.at}`)}</title></rect>`
        : `<circle class="mark" cx="${m.x}" cy="${m.y}" r="7" fill="${c}" stroke="#ffffff" stroke-width="1"><title>${escapeXml(`${m.label} ${m.at}`)}</title></circle>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}
