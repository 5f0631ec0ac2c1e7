import { durationLabel } from './chart.ts';
import { incidentClocks } from './metrics.ts';
import type { ReportInput } from './model.ts';
import { compact, evidenceHash, scrubString } from './redact.ts';

/** Markdown for the terminal: every value scrubbed, table cells escaped. */
export function renderMarkdown(r: ReportInput): string {
  const inc = r.incident;
  const c = incidentClocks(r);
  const out: string[] = [];
  out.push(`# Incident ${cell(inc.incidentId)}${inc.drill ? ' (drill)' : ''}`, '');
  out.push(
    `- Classification: **${cell(inc.classification)}**, severity **${cell(inc.severity)}**, playbook \`${cell(inc.playbook)}\``,
    `- Status: ${cell(inc.status)}; opened ${cell(inc.openedAt)}; last update ${cell(inc.updatedAt)}`,
    `- Time to detect ${dur(c.detectSeconds)}, to classify ${dur(c.classifySeconds)}, to contain ${dur(c.containSeconds)}, to first regulator draft ${dur(c.firstRegulatorDraftSeconds)}`,
    `- Approvals waited on ${c.approvalsWaitedOn}; steps escalated ${c.stepsEscalated}; steps failed ${c.stepsFailed}`,
    `- Timeline hash chain: ${verification(r)}`,
    `- Report generated ${cell(r.generatedAt)}`,
    '',
  );
  if (r.drill) {
    const d = r.drill;
    out.push(
      `## Drill score: ${d.passed ? 'PASSED' : 'FAILED'}`,
      '',
      `Scenario \`${cell(d.scenario)}\`, storefront ${d.storefront}.`,
      '',
    );
    if (d.expectations?.length) {
      out.push('| Check | Expected | Actual | |', '|---|---|---|---|');
      for (const e of d.expectations)
        out.push(
          `| ${cell(e.check)} | ${cell(e.expected)} | ${cell(e.actual)} | ${e.ok ? '✔' : '✖'} |`,
        );
      out.push('');
    }
    for (const f of d.failures) out.push(`- ✖ ${cell(f)}`);
    if (d.failures.length) out.push('');
  }
  out.push('## Obligations', '');
  if (!r.obligations?.length) out.push('_No obligations recorded for this incident._', '');
  else {
    out.push(
      '| Regime | Report | Recipient | Due | Status | Margin |',
      '|---|---|---|---|---|---|',
    );
    for (const o of r.obligations) {
      const due = o.due ? Date.parse(o.due) : undefined;
      const ref = o.sentAt ? Date.parse(o.sentAt) : Date.parse(r.generatedAt);
      const margin = due === undefined ? '—' : signed((due - ref) / 1000);
      out.push(
        `| ${cell(o.regime)} | ${cell(o.report)} | ${cell(o.recipient)} | ${cell(o.due ?? 'without undue delay')} | ${cell(o.status)} | ${margin} |`,
      );
    }
    out.push('');
  }
  out.push('## Containment actions', '');
  if (!r.actions.length) out.push('_No containment actions._', '');
  else {
    out.push(
      '| Action | Status | Pre-state | Release | Pre-state SHA-256 |',
      '|---|---|---|---|---|',
    );
    for (const a of r.actions)
      out.push(
        `| ${cell(a.action)} | ${cell(a.status)} | \`${cell(compact(a.preState, 120))}\` | \`${cell(compact(a.release, 80))}\` | \`${evidenceHash(a.preState).slice(0, 16)}\` |`,
      );
    out.push('');
  }
  out.push('## Alerts', '');
  if (!r.alerts.length) out.push('_No alerts._', '');
  else {
    out.push('| Received | Source | Kind | Severity hint | Alert |', '|---|---|---|---|---|');
    for (const a of r.alerts)
      out.push(
        `| ${cell(a.receivedAt)} | ${cell(a.source)} | ${cell(a.kind)} | ${cell(a.severityHint)} | \`${cell(a.alertId)}\` |`,
      );
    out.push('');
  }
  out.push('## Timeline', '');
  out.push('| # | At | Type | Actor | Summary | Hash |', '|---|---|---|---|---|---|');
  for (const e of r.timeline)
    out.push(
      `| ${e.seq} | ${cell(e.at)} | ${cell(e.type)} | ${cell(e.actor)} | ${cell(e.summary)} | \`${e.hash.slice(0, 12)}\` |`,
    );
  out.push('', '## Evidence hashes', '');
  if (r.verification.verified) out.push(`- Timeline head: \`${r.verification.head}\``);
  for (const a of r.actions) {
    out.push(`- ${cell(a.action)} pre-state: \`${evidenceHash(a.preState)}\``);
    if (a.release !== undefined)
      out.push(`- ${cell(a.action)} release: \`${evidenceHash(a.release)}\``);
  }
  out.push('');
  return out.join('\n');
}

export function verification(r: Pick<ReportInput, 'verification'>): string {
  const v = r.verification;
  return v.verified
    ? `verified (${v.entries} entries)`
    : `BROKEN at entry ${v.brokenAt} (${v.reason}; ${v.entries} entries)`;
}

function cell(s: string): string {
  return scrubString(s)
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}
const dur = (s: number | null) => (s === null ? '—' : durationLabel(s));
const signed = (s: number) =>
  s < 0 ? `late by ${durationLabel(-s)}` : `${durationLabel(s)} spare`;
