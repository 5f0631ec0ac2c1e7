import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { SfnTaskTokens } from '#adapters/sfn-task-tokens.ts';
import { OverrideInputSchema } from '#contracts/overrides.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { buildDrillLeverPorts } from '#runtime/drill-lever-deps.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { buildLeverPorts } from '#runtime/lever-deps.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import type { LeverPorts } from '#use-cases/containment/levers.ts';
import { applyOverride, type OverrideDeps } from '#use-cases/containment/overrides.ts';
import { portsForIncident } from '#use-cases/drill/drill-mode.ts';

/** Same lever adapters as execute-containment: `release-action` restores through them. */
export function buildDeps(
  rt: RuntimeConfig,
): OverrideDeps & { drillLevers?: (storefront: 'up' | 'down', runId?: string) => LeverPorts } {
  const drillLevers = buildDrillLeverPorts(rt);
  return {
    ...storeDeps(rt),
    levers: buildLeverPorts(rt),
    ...(drillLevers ? { drillLevers } : {}),
    tokens: new SfnTaskTokens(new SFNClient(sdkConfig(rt.aws, 'sfn'))),
  };
}

/** Drill incidents release through the drill sandbox's levers, like execute-containment. */
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('apply-override', OverrideInputSchema, async (input) => {
    const levers = await portsForIncident(
      { store: deps.store, production: deps.levers, drill: deps.drillLevers },
      input.incidentId,
    );
    return applyOverride({ ...deps, levers }, input);
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
