import { DRILL_REPORTS_PREFIX, type DrillInjected, type DrillRun } from '#contracts/drills.ts';
import {
  type DrillScore,
  drillSummary,
  emptyScore,
  expectationFor,
  scoreDrill,
} from '#domain/drill/score.ts';
import { playbookActionOf } from '#domain/playbooks.ts';
import type { Clock } from '#ports/clock.ts';
import type { ScenarioCatalog } from '#ports/drill.ts';
import type { EvidenceStore } from '#ports/evidence-store.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { NonRetryableError } from '#runtime/errors.ts';
import { buildIncidentReport } from '../report.ts';
import { obligationsFromTimeline, renderReport } from '../report-render.ts';

export interface DrillScoreDeps {
  store: IncidentStore;
  evidence: EvidenceStore;
  scenarios: ScenarioCatalog;
  clock: Clock;
  /** One metric line per scored drill (EMF in AWS), in the drill namespace only. */
  metric?: (dimensions: Record<string, string>, values: Record<string, number>) => void;
}

type InjectOutcome = DrillInjected | { index: number; error: { Error: string; Cause?: string } };

export type ScoredRun = DrillRun & {
  settled: boolean;
  passed?: boolean;
  incidentId?: string | null;
  failures?: string[];
  /** What the AWS drill could not reproduce, and why (account fixtures, operator steps). */
  notes?: string[];
  reports?: string[];
  score?: Pick<
    DrillScore,
    | 'timeToClassifySeconds'
    | 'timeToContainSeconds'
    | 'timeToFirstRegulatorDraftSeconds'
    | 'approvalsWaitedOn'
    | 'stepsEscalated'
    | 'stepsFailed'
  >;
};

const MAX_FAILURES = 50;

/**
 * Checks whether a drill run has settled (every injected alert triaged; the respond path has
 * completed or is parked on a human) and, once it has or the checks are used up, scores it from
 * what the system recorded and writes its report under drill-reports/ in the evidence bucket.
 */
export async function scoreDrillRun(
  deps: DrillScoreDeps,
  input: { run: DrillRun; injected: InjectOutcome[] },
): Promise<ScoredRun> {
  const { run } = input;
  const scenario = deps.scenarios.get(run.scenario);
  if (!scenario) throw new NonRetryableError(`unknown scenario '${run.scenario}'`);
  const checks = run.checks + 1;
  const runFailures: string[] = [];
  const alertIds: string[] = [];
  // injections whose alert the system raises itself (check-media on drill media): the incident
  // is found by the correlation key of the object that must be flagged
  const incidentKeys: Array<{ index: number; key: string }> = [];
  const notes: string[] = [];
  for (const i of [...input.injected].sort((a, b) => a.index - b.index)) {
    if ('error' in i)
      runFailures.push(`injection ${i.index} failed: ${i.error.Error}`.slice(0, 200));
    else if (!i.injected)
      runFailures.push(`injection ${i.index} (${i.via}) not injected: ${i.reason ?? 'unknown'}`);
    else {
      alertIds.push(...i.alertIds);
      for (const key of i.incidentKeys ?? []) incidentKeys.push({ index: i.index, key });
    }
    if (!('error' in i))
      for (const n of i.notes ?? []) notes.push(`injection ${i.index} (${i.via}): ${n}`);
  }
  notes.push(...localOnlyExpectations(scenario.expect as Record<string, unknown>));
  const incidentIds: string[] = [];
  let untriaged = 0;
  for (const id of alertIds) {
    const incidentId = await deps.store.alertClaim(id);
    if (!incidentId) untriaged++;
    else if (!incidentIds.includes(incidentId)) incidentIds.push(incidentId);
  }
  const unflagged: Array<{ index: number; key: string }> = [];
  for (const k of incidentKeys) {
    const incidentId = await deps.store.findIncidentByKeys([k.key], run.startedAt);
    if (!incidentId) unflagged.push(k);
    else if (!incidentIds.includes(incidentId)) incidentIds.push(incidentId);
  }
  const settled =
    untriaged === 0 && unflagged.length === 0 && (await allSettled(deps.store, incidentIds));
  if (!settled && checks < run.maxSettleChecks) return { ...run, checks, settled: false };
  for (const k of unflagged)
    runFailures.push(
      `injection ${k.index}: ${k.key.replace(/^mediaObject:/, '')} raised no incident (not flagged by check-media, or not triaged)`.slice(
        0,
        300,
      ),
    );
  if (!settled)
    runFailures.push(
      `the drill had not settled after ${checks} check(s) (${untriaged} alert(s) untriaged or containment still running)`,
    );
  const expect = expectationFor(scenario, run.storefront);
  if (incidentIds.length !== scenario.expect.incidents)
    runFailures.push(
      `expected ${scenario.expect.incidents} incident(s), got ${incidentIds.length}`,
    );
  const incidentId = incidentIds[0];
  const generatedAt = deps.clock.now().toISOString();
  const report = incidentId ? await buildIncidentReport(deps.store, incidentId) : undefined;
  if (report && report.incident.drill !== true)
    runFailures.push(`incident ${report.incident.incidentId} is not marked as a drill`);
  if (report && report.incident.playbook !== scenario.expect.playbook)
    runFailures.push(
      `expected playbook ${scenario.expect.playbook}, got ${report.incident.playbook}`,
    );
  if (report && report.incident.classification !== scenario.expect.classification)
    runFailures.push(
      `expected classification ${scenario.expect.classification}, got ${report.incident.classification}`,
    );
  if (report && !report.verification.verified)
    runFailures.push('timeline hash chain does not verify');
  if (report)
    runFailures.push(
      ...containmentFailures(report.actions, expect.containment, expect.escalated ?? []),
    );
  const obligations = report ? obligationsFromTimeline(report) : [];
  const score = report
    ? scoreDrill(
        run.scenario,
        run.storefront,
        expect,
        { ...report, obligations, generatedAt },
        runFailures,
      )
    : emptyScore(run.scenario, run.storefront, expect, runFailures);
  const day = run.startedAt.slice(0, 10);
  const base = `${DRILL_REPORTS_PREFIX}${day}/${run.runId}`;
  const tags = { 'tourniquet:drill': 'true', 'tourniquet:scenario': run.scenario };
  const reports: string[] = [];
  const json = JSON.stringify(
    { run: { ...run, checks }, incidentId: incidentId ?? null, score, notes, generatedAt },
    null,
    2,
  );
  reports.push((await deps.evidence.put(`${base}.json`, json, 'application/json', tags)).key);
  if (report) {
    const rendered = renderReport(report, {
      obligations,
      generatedAt,
      drill: drillSummary(score),
    });
    reports.push(
      (await deps.evidence.put(`${base}.md`, rendered.markdown, 'text/markdown', tags)).key,
      (await deps.evidence.put(`${base}.html`, rendered.html, 'text/html; charset=utf-8', tags))
        .key,
    );
  }
  deps.metric?.(
    { Scenario: run.scenario, Storefront: run.storefront },
    { DrillPassed: score.passed ? 1 : 0, DrillFailures: score.failures.length },
  );
  return {
    ...run,
    checks,
    settled: true,
    passed: score.passed,
    incidentId: incidentId ?? null,
    failures: score.failures.slice(0, MAX_FAILURES).map((f) => f.slice(0, 300)),
    notes: notes.slice(0, MAX_FAILURES).map((n) => n.slice(0, 500)),
    reports,
    score: {
      timeToClassifySeconds: score.timeToClassifySeconds,
      timeToContainSeconds: score.timeToContainSeconds,
      timeToFirstRegulatorDraftSeconds: score.timeToFirstRegulatorDraftSeconds,
      approvalsWaitedOn: score.approvalsWaitedOn,
      stepsEscalated: score.stepsEscalated,
      stepsFailed: score.stepsFailed,
    },
  };
}

/** Scenario expectations that only the local drill judges (it seeds what AWS cannot). */
function localOnlyExpectations(expect: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (expect.customerNotifications !== undefined)
    out.push(
      'expect.customerNotifications is judged on the local runtime only: a scheduled drill writes no drill data map, so its scope has no recipients (drill notices go to the drill sink in either case)',
    );
  if (expect.regulatory !== undefined)
    out.push(
      "expect.regulatory (notices sent before their due time) is judged on the local runtime only: in AWS each drill notice waits for the compliance officer's approval (then dry-run or the drill mailbox, never the authority)",
    );
  return out;
}

/** Expected actions executed; with the storefront down, the expected escalations did not execute. */
function containmentFailures(
  actions: Array<{ action: string; status: string }>,
  expected: string[],
  escalated: string[],
): string[] {
  const out: string[] = [];
  // an incremental pass (`<action>#…`) counts as its playbook action
  const family = (a: string) => actions.filter((x) => playbookActionOf(x.action) === a);
  for (const a of expected) {
    const got = family(a).find((x) => x.status === 'executed') ?? family(a)[0];
    if (!got) out.push(`containment ${a} did not run`);
    else if (got.status !== 'executed' && got.status !== 'released')
      out.push(`containment ${a} is ${got.status}`);
  }
  for (const a of escalated) {
    if (!family(a).length) out.push(`containment ${a} did not run (expected an escalation)`);
    else if (family(a).some((x) => x.status === 'executed'))
      out.push(`containment ${a} executed with the storefront down`);
  }
  return out;
}

const FINAL = new Set(['executed', 'failed', 'released', 'skipped', 'escalated']);

/**
 * An incident has settled when the respond path is done with it: P4 incidents start no
 * containment; otherwise containment has completed, or every planned action is final or parked
 * on a human for good (an escalation, or an approval that escalates on timeout). A
 * contain-suspected approval proceeds on its own after its timeout, so the drill waits for it.
 */
async function allSettled(store: IncidentStore, incidentIds: string[]): Promise<boolean> {
  for (const id of incidentIds) {
    const incident = await store.getIncident(id);
    if (!incident) return false;
    if (incident.severity === 'P4') continue;
    const timeline = await store.readTimeline(id);
    // one containment.planned per pass (the playbook, then incremental passes for targets
    // that joined later): settled when every pass completed or is parked on a human
    const passes = timeline.filter((e) => e.type === 'containment.planned');
    const completed = timeline.filter((e) => e.type === 'containment.completed').length;
    if (completed > 0 && completed >= passes.length) continue;
    if (passes.length === 0) return false;
    const planned = {
      actions: passes.flatMap((p) => (p.data as { actions?: string[] }).actions ?? []),
      autonomy: Object.assign(
        {},
        ...passes.map((p) => (p.data as { autonomy?: Record<string, string> }).autonomy ?? {}),
      ) as Record<string, string>,
    };
    const actions = new Map((await store.listActions(id)).map((a) => [a.action, a]));
    for (const name of planned.actions ?? []) {
      const a = actions.get(name);
      if (!a) return false;
      if (a.pending?.kind === 'escalation') continue;
      if (a.pending?.kind === 'approval') {
        if (planned.autonomy?.[name] === 'contain-suspected') return false;
        continue;
      }
      if (!FINAL.has(a.status)) return false;
    }
  }
  return true;
}
