import type { Context } from 'aws-lambda';
import { PlanInputSchema } from '#contracts/regulatory-workflow.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { regulatoryDeps } from '#runtime/regulatory-deps.ts';
import { plan } from '#use-cases/regulatory/workflow.ts';

/** regulatory-clock Plan: obligations for the current facts, one record each, reminders scheduled. */
export const buildDeps = (rt: RuntimeConfig) => regulatoryDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('regulatory-plan', PlanInputSchema, (input) => plan(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
