import type { Context } from 'aws-lambda';
import { PlannedActionSchema } from '#contracts/state-io.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { buildLeverPorts } from '#runtime/lever-deps.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { type ContainmentDeps, executeAction } from '#use-cases/containment/execute-action.ts';

export function buildDeps(rt: RuntimeConfig): ContainmentDeps {
  return { ...storeDeps(rt), levers: buildLeverPorts(rt) };
}

export const makeHandler = (deps: ContainmentDeps) =>
  taskHandler('execute-containment', PlannedActionSchema, (input) => executeAction(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
