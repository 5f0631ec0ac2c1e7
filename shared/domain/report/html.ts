import { buildChart, durationLabel, escapeXml, renderChartSvg } from './chart.ts';
import { verification } from './markdown.ts';
import { incidentClocks } from './metrics.ts';
import type { ReportInput } from './model.ts';
import { compact, evidenceHash, scrubString } from './redact.ts';

/**
 * A self-contained HTML page (inline CSS and SVG; no scripts, no external references) for people.
 * Every value is scrubbed of personal data and escaped.
 */
export function renderHtml(r: ReportInput): string {
  const inc = r.incident;
  const c = incidentClocks(r);
  const chart = buildChart(r);
  const h = (s: string) => escapeXml(scrubString(s));
  const rows = (cells: string[][]) =>
    cells.map((row) => `<tr>${row.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('\n');
  const table = (head: string[], body: string[][], empty: string) =>
    body.length === 0
      ? `<p class="empty">${h(empty)}</p>`
      : `<table><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>\n${rows(body)}\n</tbody></table>`;
  const dur = (s: number | null) => (s === null ? '—' : durationLabel(s));
  const code = (s: string) => `<code>${h(s)}</code>`;

  const obligations = (r.obligations ?? []).map((o) => {
    const due = o.due ? Date.parse(o.due) : undefined;
    const ref = o.sentAt ? Date.parse(o.sentAt) : Date.parse(r.generatedAt);
    const m = due === undefined ? null : (due - ref) / 1000;
    return [
      h(o.regime),
      h(o.report),
      h(o.recipient),
      h(o.due ?? 'without undue delay'),
      `<span class="st st-${h(o.status).replace(/[^a-z-]/g, '')}">${h(o.status)}</span>`,
      m === null
        ? '—'
        : m < 0
          ? `<b class="late">late by ${h(durationLabel(-m))}</b>`
          : h(`${durationLabel(m)} spare`),
    ];
  });
  const actions = r.actions.map((a) => [
    code(a.action),
    h(a.status),
    code(compact(a.preState, 200)),
    code(compact(a.release, 120)),
    code(evidenceHash(a.preState).slice(0, 16)),
  ]);
  const alerts = r.alerts.map((a) => [
    h(a.receivedAt),
    h(a.source),
    h(a.kind),
    h(a.severityHint),
    code(a.alertId),
  ]);
  const timeline = r.timeline.map((e) => [
    String(e.seq),
    h(e.at),
    code(e.type),
    h(e.actor),
    h(e.summary),
    code(e.hash.slice(0, 12)),
  ]);
  const evidence: string[][] = [];
  if (r.verification.verified) evidence.push([h('timeline head'), code(r.verification.head)]);
  for (const a of r.actions) {
    evidence.push([h(`${a.action} pre-state`), code(evidenceHash(a.preState))]);
    if (a.release !== undefined)
      evidence.push([h(`${a.action} release`), code(evidenceHash(a.release))]);
  }
  const drill = r.drill
    ? `<section><h2>Drill score: ${r.drill.passed ? '<span class="ok">PASSED</span>' : '<span class="late">FAILED</span>'}</h2>
<p>Scenario ${code(r.drill.scenario)}, storefront ${h(r.drill.storefront)}.</p>
${r.drill.expectations?.length ? `<table><tr><th>Check</th><th>Expected</th><th>Actual</th><th></th></tr>${r.drill.expectations.map((e) => `<tr><td>${h(e.check)}</td><td>${h(e.expected)}</td><td>${h(e.actual)}</td><td>${e.ok ? '<span class="ok">✔</span>' : '<span class="late">✖</span>'}</td></tr>`).join('')}</table>` : ''}
${r.drill.failures.length ? `<ul>${r.drill.failures.map((f) => `<li>${h(f)}</li>`).join('')}</ul>` : ''}</section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Incident ${h(inc.incidentId)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#212529;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #dee2e6;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f5}code{font:12px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:6px 16px;margin:12px 0}
.facts div{background:#f8f9fa;padding:6px 8px;border-radius:4px}.facts b{display:block;font-size:11px;color:#495057;text-transform:uppercase}
.late{color:#c92a2a}.ok{color:#2b8a3e}.empty{color:#868e96;font-style:italic}.drill{background:#fff3bf;padding:2px 6px;border-radius:4px}
.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}
</style></head><body>
<h1>Incident ${h(inc.incidentId)} ${inc.drill ? '<span class="drill">drill</span>' : ''}</h1>
<div class="facts">
<div><b>Classification</b>${h(inc.classification)}</div><div><b>Severity</b>${h(inc.severity)}</div>
<div><b>Playbook</b>${h(inc.playbook)}</div><div><b>Status</b>${h(inc.status)}</div>
<div><b>Opened</b>${h(inc.openedAt)}</div><div><b>Time to detect</b>${h(dur(c.detectSeconds))}</div>
<div><b>Time to classify</b>${h(dur(c.classifySeconds))}</div><div><b>Time to contain</b>${h(dur(c.containSeconds))}</div>
<div><b>First regulator draft</b>${h(dur(c.firstRegulatorDraftSeconds))}</div><div><b>Approvals waited on</b>${c.approvalsWaitedOn}</div>
<div><b>Escalated / failed steps</b>${c.stepsEscalated} / ${c.stepsFailed}</div>
<div><b>Hash chain</b>${r.verification.verified ? `<span class="ok">${h(verification(r))}</span>` : `<span class="late">${h(verification(r))}</span>`}</div>
</div>
${drill}
<section><h2>Incident over time</h2>
<div class="legend"><span><i style="background:#d9480f"></i>alert</span><span><i style="background:#5f3dc4"></i>incident</span><span><i style="background:#2b8a3e"></i>done</span><span><i style="background:#e67700"></i>waiting</span><span><i style="background:#1864ab"></i>sent / due (dashed)</span><span><i style="background:#c92a2a"></i>failed / missed</span></div>
${renderChartSvg(chart)}
<p class="empty">Time axis: square-root scale from ${h(chart.start)} to ${h(chart.end)}.</p></section>
<section><h2>Obligations</h2>${table(['Regime', 'Report', 'Recipient', 'Due', 'Status', 'Margin'], obligations, 'No obligations recorded for this incident.')}</section>
<section><h2>Containment actions</h2>${table(['Action', 'Status', 'Pre-state', 'Release', 'Pre-state SHA-256'], actions, 'No containment actions.')}</section>
<section><h2>Alerts</h2>${table(['Received', 'Source', 'Kind', 'Severity hint', 'Alert'], alerts, 'No alerts.')}</section>
<section><h2>Timeline</h2><p>Hash chain: ${h(verification(r))}.</p>${table(['#', 'At', 'Type', 'Actor', 'Summary', 'Hash'], timeline, 'Empty timeline.')}</section>
<section><h2>Evidence hashes</h2>${table(['What', 'SHA-256'], evidence, 'No evidence.')}</section>
<footer><p class="empty">Generated ${h(r.generatedAt)} by Tourniquet. Identifiers and hashes only; personal data is never included.</p></footer>
</body></html>
`;
}
