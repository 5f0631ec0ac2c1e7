import type { Context } from 'aws-lambda';
import { SendInputSchema } from '#contracts/regulatory-workflow.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { regulatoryDeps } from '#runtime/regulatory-deps.ts';
import { send } from '#use-cases/regulatory/workflow.ts';

/** regulatory-clock Send: evidence filed, SES send to the authority, timeline. */
export const buildDeps = (rt: RuntimeConfig) => regulatoryDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('regulatory-send', SendInputSchema, (input) => send(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
