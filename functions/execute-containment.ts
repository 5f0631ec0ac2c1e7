import type { Context } from 'aws-lambda';
import { PlannedActionSchema } from '#contracts/state-io.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { buildDrillLeverPorts } from '#runtime/drill-lever-deps.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { buildLeverPorts } from '#runtime/lever-deps.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { type ContainmentDeps, executeAction } from '#use-cases/containment/execute-action.ts';
import type { LeverPorts } from '#use-cases/containment/levers.ts';
import { portsForIncident } from '#use-cases/drill/drill-mode.ts';

/** Production levers, and the drill sandbox's levers for drill incidents (DRILL_SANDBOX). */
export type ExecuteDeps = ContainmentDeps & {
  drillLevers?: (storefront: 'up' | 'down', runId?: string) => LeverPorts;
};

export function buildDeps(rt: RuntimeConfig): ExecuteDeps {
  const drillLevers = buildDrillLeverPorts(rt);
  return { ...storeDeps(rt), levers: buildLeverPorts(rt), ...(drillLevers ? { drillLevers } : {}) };
}

export const makeHandler = (deps: ExecuteDeps) =>
  taskHandler('execute-containment', PlannedActionSchema, async (input) => {
    const levers = await portsForIncident(
      { store: deps.store, production: deps.levers, drill: deps.drillLevers },
      input.incidentId,
    );
    return executeAction({ ...deps, levers }, input);
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
