import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { SfnTaskTokens } from '#adapters/sfn-task-tokens.ts';
import { OverrideInputSchema } from '#contracts/overrides.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { buildLeverPorts } from '#runtime/lever-deps.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { applyOverride, type OverrideDeps } from '#use-cases/containment/overrides.ts';

/** Same lever adapters as execute-containment: `release-action` restores through them. */
export function buildDeps(rt: RuntimeConfig): OverrideDeps {
  return {
    ...storeDeps(rt),
    levers: buildLeverPorts(rt),
    tokens: new SfnTaskTokens(new SFNClient(sdkConfig(rt.aws, 'sfn'))),
  };
}

export const makeHandler = (deps: OverrideDeps) =>
  taskHandler('apply-override', OverrideInputSchema, (input) => applyOverride(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
