import { playbookActionOf } from '../playbooks.ts';
import { incidentClocks } from '../report/metrics.ts';
import type { ReportDrillScore, ReportInput, ReportObligation } from '../report/model.ts';

/** What a scenario expects, as far as scoring is concerned (scenario.expect). */
export interface DrillExpectation {
  /** Playbook actions that must execute (an incremental pass `<action>#…` counts as its action). */
  containment: string[];
  /** Playbook actions that must escalate instead of executing (storefront down). */
  escalated?: string[];
  /**
   * Items each playbook action must have changed, summed over its passes (objects held, gallery
   * rows disabled…): every flagged target contained, none twice.
   */
  changes?: Record<string, number>;
  /** Regimes (or `regime/report`) the regulatory clock must have produced. */
  obligations?: string[];
  /** Recovery gate: the first scan's blocking findings by kind, and whether promotion happened. */
  recovery?: { firstScanBlocking?: Record<string, number>; promoted: boolean };
  /** Pass criteria: upper bounds in seconds of virtual time; omitted = not judged. */
  passCriteria?: {
    maxClassifySeconds?: number;
    maxContainSeconds?: number;
    maxFirstRegulatorDraftSeconds?: number;
    maxStepsFailed?: number;
    maxStepsEscalated?: number;
    /** Every obligation must keep at least this much margin (seconds; 0 = not late). */
    minObligationMarginSeconds?: number;
  };
}

export interface DrillScore {
  scenario: string;
  storefront: 'up' | 'down';
  passed: boolean;
  timeToClassifySeconds: number | null;
  timeToContainSeconds: number | null;
  timeToFirstRegulatorDraftSeconds: number | null;
  obligationMargins: Array<{
    obligation: string;
    due: string | null;
    marginSeconds: number | null;
    status: string;
  }>;
  approvalsWaitedOn: number;
  stepsEscalated: number;
  stepsFailed: number;
  actions: { expected: string[]; actual: string[]; missing: string[]; unexpected: string[] };
  /** Expected escalations (storefront down) versus the actions that escalated or failed. */
  escalations: { expected: string[]; actual: string[]; missing: string[] };
  /** Items changed per playbook action (executed and released passes), expected versus actual. */
  changes: { expected: Record<string, number>; actual: Record<string, number> };
  obligations: { expected: string[]; actual: string[]; missing: string[] };
  failures: string[];
}

/**
 * Scores one drill from what the system recorded (never from what the drill injected): clocks from
 * the timeline, expected versus actual actions and obligations, and the scenario's pass criteria.
 * `runFailures` are the runner's own checks (incident count, simulator calls, dead letters…).
 */
export function scoreDrill(
  scenario: string,
  storefront: 'up' | 'down',
  expect: DrillExpectation,
  report: Pick<ReportInput, 'incident' | 'alerts' | 'timeline' | 'actions' | 'generatedAt'> & {
    obligations?: ReportObligation[];
    regulatorDraftsAt?: string[];
  },
  runFailures: string[] = [],
): DrillScore {
  const c = incidentClocks(report);
  const failures = [...runFailures];
  const done = report.actions.filter((a) => a.status === 'executed' || a.status === 'released');
  const actual = [...new Set(done.map((a) => playbookActionOf(a.action)))];
  const missing = expect.containment.filter((a) => !actual.includes(a));
  const unexpected = actual.filter((a) => !expect.containment.includes(a));
  const expectedEsc = expect.escalated ?? [];
  const escalated = [
    ...new Set(
      report.actions
        .filter((a) => a.status === 'escalated' || a.status === 'failed')
        .map((a) => playbookActionOf(a.action)),
    ),
  ];
  const changed: Record<string, number> = {};
  for (const a of done) {
    const n = (a.result as { changed?: unknown } | undefined)?.changed;
    const k = playbookActionOf(a.action);
    changed[k] = (changed[k] ?? 0) + (typeof n === 'number' ? n : 0);
  }
  const expectedChanges = expect.changes ?? {};
  for (const [k, n] of Object.entries(expectedChanges))
    if ((changed[k] ?? 0) !== n)
      failures.push(`${k} changed ${changed[k] ?? 0} item(s), expected ${n}`);
  const obligations = report.obligations ?? [];
  const obligationNames = obligations.map((o) => `${o.regime}/${o.report}`);
  const expectedObl = expect.obligations ?? [];
  const missingObl = expectedObl.filter(
    (want) => !obligationNames.some((n) => n === want || n.startsWith(`${want}/`)),
  );
  for (const m of missingObl) failures.push(`obligation ${m} was not produced`);
  const now = Date.parse(report.generatedAt);
  const margins = obligations.map((o) => {
    const due = o.due ? Date.parse(o.due) : undefined;
    const ref = o.sentAt ? Date.parse(o.sentAt) : now;
    return {
      obligation: `${o.regime}/${o.report}`,
      due: o.due,
      marginSeconds: due === undefined ? null : Math.round((due - ref) / 1000),
      status: o.status,
    };
  });
  if (expect.recovery) {
    const gated = report.timeline.filter((e) => e.type === 'recovery.gated');
    const scans = gated.filter((e) => e.data?.stage === 'scanned');
    const first = scans[0]?.data as
      | { counts?: Record<string, number>; blocked?: boolean }
      | undefined;
    if (!first) failures.push('the recovery gate never scanned a restore');
    for (const [kind, n] of Object.entries(expect.recovery.firstScanBlocking ?? {}))
      if ((first?.counts?.[kind] ?? 0) !== n)
        failures.push(
          `recovery scan found ${first?.counts?.[kind] ?? 0} ${kind} record(s), expected ${n}`,
        );
    const promoted = gated.some((e) => e.data?.stage === 'promoted');
    if (promoted !== expect.recovery.promoted)
      failures.push(
        `restore was ${promoted ? '' : 'not '}promoted (expected ${expect.recovery.promoted ? '' : 'no '}promotion)`,
      );
    const lastScan = scans.at(-1)?.data as { blocked?: boolean } | undefined;
    if (promoted && lastScan?.blocked !== false)
      failures.push('a restore was promoted without a clean scan');
  }
  const pc = expect.passCriteria ?? {};
  const over = (what: string, got: number | null, max: number | undefined) => {
    if (max === undefined) return;
    if (got === null) failures.push(`${what} never happened (limit ${max} s)`);
    else if (got > max) failures.push(`${what} took ${got} s (limit ${max} s)`);
  };
  over('classification', c.classifySeconds, pc.maxClassifySeconds);
  over('containment', c.containSeconds, pc.maxContainSeconds);
  over('first regulator draft', c.firstRegulatorDraftSeconds, pc.maxFirstRegulatorDraftSeconds);
  if (pc.maxStepsFailed !== undefined && c.stepsFailed > pc.maxStepsFailed)
    failures.push(`${c.stepsFailed} step(s) failed (limit ${pc.maxStepsFailed})`);
  if (pc.maxStepsEscalated !== undefined && c.stepsEscalated > pc.maxStepsEscalated)
    failures.push(`${c.stepsEscalated} step(s) escalated (limit ${pc.maxStepsEscalated})`);
  if (pc.minObligationMarginSeconds !== undefined)
    for (const m of margins)
      if (m.marginSeconds !== null && m.marginSeconds < pc.minObligationMarginSeconds)
        failures.push(
          `obligation ${m.obligation} margin ${m.marginSeconds} s is below ${pc.minObligationMarginSeconds} s`,
        );
  return {
    scenario,
    storefront,
    passed: failures.length === 0,
    timeToClassifySeconds: c.classifySeconds,
    timeToContainSeconds: c.containSeconds,
    timeToFirstRegulatorDraftSeconds: c.firstRegulatorDraftSeconds,
    obligationMargins: margins,
    approvalsWaitedOn: c.approvalsWaitedOn,
    stepsEscalated: c.stepsEscalated,
    stepsFailed: c.stepsFailed,
    actions: { expected: expect.containment, actual, missing, unexpected },
    escalations: {
      expected: expectedEsc,
      actual: escalated,
      missing: expectedEsc.filter((a) => !escalated.includes(a)),
    },
    changes: { expected: expectedChanges, actual: changed },
    obligations: { expected: expectedObl, actual: obligationNames, missing: missingObl },
    failures,
  };
}

/** The score of a drill that opened no incident: every expectation missing. */
export function emptyScore(
  scenario: string,
  storefront: 'up' | 'down',
  expect: DrillExpectation,
  failures: string[],
): DrillScore {
  return {
    scenario,
    storefront,
    passed: false,
    timeToClassifySeconds: null,
    timeToContainSeconds: null,
    timeToFirstRegulatorDraftSeconds: null,
    obligationMargins: [],
    approvalsWaitedOn: 0,
    stepsEscalated: 0,
    stepsFailed: 0,
    actions: {
      expected: expect.containment,
      actual: [],
      missing: expect.containment,
      unexpected: [],
    },
    escalations: {
      expected: expect.escalated ?? [],
      actual: [],
      missing: expect.escalated ?? [],
    },
    changes: { expected: expect.changes ?? {}, actual: {} },
    obligations: {
      expected: expect.obligations ?? [],
      actual: [],
      missing: expect.obligations ?? [],
    },
    failures: failures.length ? failures : ['no incident was opened'],
  };
}

/**
 * What a scenario expects in one storefront mode: with `--storefront down` its `expectDown`
 * (actions that must still execute, those that must escalate, items changed) replaces the
 * normal containment expectations; everything else (obligations, recovery, pass criteria) holds
 * in both modes.
 */
export function expectationFor(
  scenario: {
    expect: object & { containment: string[] };
    expectDown?: { containment: string[]; escalated?: string[]; changes?: Record<string, number> };
  },
  storefront: 'up' | 'down',
): DrillExpectation {
  const base = scenario.expect as DrillExpectation;
  const down = storefront === 'down' ? scenario.expectDown : undefined;
  if (!down) return base;
  const { changes: _up, escalated: _e, ...rest } = base;
  return {
    ...rest,
    containment: down.containment,
    escalated: down.escalated ?? [],
    ...(down.changes ? { changes: down.changes } : {}),
  };
}

const list = (xs: string[]) => (xs.length ? xs.join(', ') : '—');

/** The part of a score a report shows in its drill section. */
export function drillSummary(score: DrillScore): ReportDrillScore {
  const expectations: NonNullable<ReportDrillScore['expectations']> = [
    {
      check: 'containment executed',
      expected: list(score.actions.expected),
      actual: list(score.actions.actual),
      ok: score.actions.missing.length === 0,
    },
  ];
  if (score.escalations.expected.length || score.storefront === 'down')
    expectations.push({
      check: 'escalated',
      expected: list(score.escalations.expected),
      actual: list(score.escalations.actual),
      ok: score.escalations.missing.length === 0,
    });
  for (const [k, n] of Object.entries(score.changes.expected))
    expectations.push({
      check: `${k}: items changed`,
      expected: String(n),
      actual: String(score.changes.actual[k] ?? 0),
      ok: (score.changes.actual[k] ?? 0) === n,
    });
  return {
    expectations,
    scenario: score.scenario,
    storefront: score.storefront,
    passed: score.passed,
    timeToClassifySeconds: score.timeToClassifySeconds,
    timeToContainSeconds: score.timeToContainSeconds,
    timeToFirstRegulatorDraftSeconds: score.timeToFirstRegulatorDraftSeconds,
    approvalsWaitedOn: score.approvalsWaitedOn,
    stepsEscalated: score.stepsEscalated,
    stepsFailed: score.stepsFailed,
    failures: score.failures,
  };
}
