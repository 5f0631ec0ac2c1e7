import type { Context } from 'aws-lambda';
import { CloseContainmentInputSchema } from '#contracts/state-io.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { closeContainment } from '#use-cases/containment/plan.ts';

export const buildDeps = (rt: RuntimeConfig) => storeDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('close-containment', CloseContainmentInputSchema, (input) =>
    closeContainment(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
