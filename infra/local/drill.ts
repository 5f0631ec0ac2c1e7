import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import type { DrillScore } from '#domain/drill/score.ts';
import { playbookActionOf } from '#domain/playbooks.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import { buildIncidentReport, type IncidentReport } from '#use-cases/report.ts';
import {
  CONTAINMENT_INJECTORS,
  type ContainmentSeed,
  containmentExpectations,
  finishContainment,
  seedContainment,
} from './containment-drill.ts';
import { attachDrillOperator } from './drill-operator.ts';
import { RECOVERY_INJECTORS } from './drill-recovery.ts';
import { finishDrill } from './drill-report.ts';
import { functionUrlEvent } from './function-url-event.ts';
import { MEDIA_INJECTORS } from './media-drill.ts';
import {
  attachRegulatoryApprover,
  finishRegulatory,
  type RegulatoryNotification,
  type RegulatoryObligationItem,
} from './regulatory-drill.ts';
import { LocalRuntime } from './runtime.ts';
import { loadScenario, type Scenario } from './scenario.ts';
import { SCOPE_INJECTORS, type ScopeDrillOutcome, scoreScopeNotify } from './scope-drill.ts';

export interface DrillOptions {
  storefront?: 'up' | 'down';
  progress?: (line: string) => void;
}

export interface DrillResult {
  /** When the regulator workflow drafted its notices (filled by regulatory-drill.ts). */
  regulatorDraftsAt?: string[];
  scenario: string;
  incidentId: string | null;
  passed: boolean;
  failures: string[];
  classification: string | null;
  playbook: string | null;
  containment: Array<{
    action: string;
    status: string;
    preState: unknown;
    result: unknown;
    verification: unknown;
    reversible?: boolean;
    /** What releasing the action restored (scenario `release: true`). */
    release?: unknown;
  }>;
  timeline: { entries: number; verified: boolean; head?: string };
  incidents: number;
  simulatorCalls: { stripe: Array<{ method: string; path: string; status: number }> };
  webhookResponses: Array<{ statusCode: number; body: string }>;
  timings: { runtimeStartMs: number; drillMs: number; synthMs: number };
  report?: IncidentReport;
  /** Clocks, expected vs actual, pass criteria (infra/local/drill-report.ts). */
  score?: DrillScore;
  /** The drill's report under drill-reports/ (Markdown + HTML). */
  reportFiles?: string[];
  /** Scope applied to the incident (leaked-file scenarios). */
  scope?: ScopeDrillOutcome['scope'];
  customerNotifications?: ScopeDrillOutcome['customerNotifications'];
  /** Scope-derived counts; `items`: the regulator workflow's own obligation records. */
  obligations?: ScopeDrillOutcome['obligations'] & { items?: RegulatoryObligationItem[] };
  /** Regulator notices the workflow sent (scenarios with a `regulatory` section). */
  notifications?: RegulatoryNotification[];
}

type Injector = (
  rt: LocalRuntime,
  step: Scenario['inject'][number],
  at: Date,
) => Promise<{ statusCode: number; body: string }>;

/** How each kind of injected signal enters the system: always through the real ingest handler. */
const INJECTORS: Record<string, Injector> = {
  ...RECOVERY_INJECTORS,
  ...MEDIA_INJECTORS,
  ...CONTAINMENT_INJECTORS,
  ...SCOPE_INJECTORS,
  'stripe-webhook': async (rt, step, at) => {
    const event = { ...step.event, created: Math.floor(at.getTime() / 1000) };
    const body = JSON.stringify(event);
    const signature = signStripePayload(
      body,
      rt.secret('StripeWebhookSecret'),
      Math.floor(rt.clock.now().getTime() / 1000),
    );
    return (await rt.invokeFunction(
      'ingest-stripe-webhook',
      functionUrlEvent(body, { 'stripe-signature': signature }),
    )) as {
      statusCode: number;
      body: string;
    };
  },
};

/** Runs one scenario end to end on the embedded local runtime and scores it. */
export async function runDrill(name: string, opts: DrillOptions = {}): Promise<DrillResult> {
  const scenario = loadScenario(name);
  const say = opts.progress ?? (() => undefined);
  const t0 = performance.now();
  say(`starting local runtime (stage ${scenario.stage})`);
  const rt = await LocalRuntime.start({
    stage: scenario.stage,
    context: scenario.context,
    log: say,
  });
  try {
    const runtimeStartMs = rt.timings.startMs ?? 0;
    say(
      `runtime up in ${Math.round(runtimeStartMs)} ms (synth ${Math.round(rt.timings.synthMs ?? 0)} ms)`,
    );
    if (scenario.seed.stripe) rt.stripe.seed(scenario.seed.stripe);
    await seedContainment(rt, scenario.seed as ContainmentSeed);
    if (opts.storefront === 'down') rt.setStorefrontDown();
    attachDrillOperator(rt);
    attachRegulatoryApprover(rt);
    const start = rt.clock.now();
    const responses: Array<{ statusCode: number; body: string }> = [];
    const delivered: Scenario['inject'] = [];
    for (const [i, step] of scenario.inject.entries()) {
      rt.clock.advanceTo(new Date(start.getTime() + step.offsetSeconds * 1000));
      const effective =
        step.replayOf !== undefined
          ? { ...delivered[step.replayOf]!, offsetSeconds: step.offsetSeconds }
          : step;
      const injector = INJECTORS[effective.via];
      if (!injector)
        throw new Error(`scenario ${name}: inject[${i}].via '${effective.via}' is not supported`);
      const res = await injector(
        rt,
        effective,
        effective === step
          ? rt.clock.now()
          : new Date(start.getTime() + effective.offsetSeconds * 1000),
      );
      responses.push(res);
      delivered.push(step.replayOf !== undefined ? delivered[step.replayOf]! : step);
      say(`inject ${i + 1}/${scenario.inject.length} ${effective.via}: HTTP ${res.statusCode}`);
    }
    say('waiting for triage and containment');
    await rt.idle();
    const result = await score(rt, containmentExpectations(scenario, opts.storefront), responses);
    await finishContainment(rt, scenario, result, opts.storefront ?? 'up');
    await finishRegulatory(rt, scenario, result);
    result.timings = {
      runtimeStartMs,
      drillMs: performance.now() - t0,
      synthMs: rt.timings.synthMs ?? 0,
    };
    const done = finishDrill(
      result,
      scenario,
      opts.storefront ?? 'up',
      rt.clock.now().toISOString(),
    );
    result.score = done.score;
    result.reportFiles = done.files;
    say(`drill ${result.passed ? 'passed' : 'FAILED'} in ${Math.round(result.timings.drillMs)} ms`);
    return result;
  } finally {
    await rt.stop();
  }
}

async function score(
  rt: LocalRuntime,
  scenario: Scenario,
  responses: DrillResult['webhookResponses'],
): Promise<DrillResult> {
  const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  const incidents = await store.listIncidents(100);
  const failures: string[] = [];
  const incident = incidents[0];
  const report = incident ? await buildIncidentReport(store, incident.incidentId) : undefined;
  const exp = scenario.expect;
  if (incidents.length !== exp.incidents)
    failures.push(`expected ${exp.incidents} incident(s), got ${incidents.length}`);
  if (incident && incident.playbook !== exp.playbook)
    failures.push(`expected playbook ${exp.playbook}, got ${incident.playbook}`);
  if (incident && incident.classification !== exp.classification) {
    failures.push(`expected classification ${exp.classification}, got ${incident.classification}`);
  }
  const actions = report?.actions ?? [];
  for (const a of exp.containment) {
    // an incremental pass (`<action>#…`) counts as its playbook action
    const family = actions.filter((x) => playbookActionOf(x.action) === a);
    const got = family.find((x) => x.status === 'executed') ?? family[0];
    if (!got) failures.push(`containment ${a} did not run`);
    else if (got.status !== 'executed') failures.push(`containment ${a} is ${got.status}`);
  }
  const calls = rt.stripe.calls.map((c) => ({ method: c.method, path: c.path, status: c.status }));
  for (const want of exp.simulator?.stripe ?? []) {
    if (!calls.some((c) => c.method === want.method && c.path === want.path && c.status < 300)) {
      failures.push(`gateway simulator never received ${want.method} ${want.path}`);
    }
  }
  for (const p of exp.simulator?.stripeUntouched ?? []) {
    if (calls.some((c) => c.method !== 'GET' && c.path === p))
      failures.push(`gateway simulator received a change on ${p}`);
  }
  if (report && !report.verification.verified) failures.push('timeline hash chain does not verify');
  if (!report) failures.push('no incident was opened');
  if (rt.deadLetters.length > 0)
    failures.push(`${rt.deadLetters.length} event(s) went to the dead-letter queue`);
  const scoped = incident
    ? await scoreScopeNotify(
        rt,
        incident.incidentId,
        (exp as { customerNotifications?: Parameters<typeof scoreScopeNotify>[2] })
          .customerNotifications,
      )
    : undefined;
  if (scoped) failures.push(...scoped.failures);
  return {
    ...(scoped
      ? {
          scope: scoped.scope,
          customerNotifications: scoped.customerNotifications,
          obligations: scoped.obligations,
        }
      : {}),
    scenario: scenario.name,
    incidentId: incident?.incidentId ?? null,
    passed: failures.length === 0,
    failures,
    classification: incident?.classification ?? null,
    playbook: incident?.playbook ?? null,
    containment: actions.map((a) => ({
      action: a.action,
      status: a.status,
      preState: a.preState,
      result: a.result,
      verification: a.verification,
    })),
    timeline: {
      entries: report?.timeline.length ?? 0,
      verified: report?.verification.verified ?? false,
      ...(report?.verification.verified ? { head: report.verification.head } : {}),
    },
    incidents: incidents.length,
    simulatorCalls: { stripe: calls },
    webhookResponses: responses,
    timings: { runtimeStartMs: 0, drillMs: 0, synthMs: 0 },
    report,
  };
}
