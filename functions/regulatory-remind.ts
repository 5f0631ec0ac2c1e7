import type { Context } from 'aws-lambda';
import { RemindInputSchema } from '#contracts/regulatory-workflow.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { regulatoryDeps } from '#runtime/regulatory-deps.ts';
import { remind } from '#use-cases/regulatory/workflow.ts';

/** EventBridge Scheduler target: T-24h reminder, T-4h/T-1h escalation, due-time miss. */
export const buildDeps = (rt: RuntimeConfig) => regulatoryDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('regulatory-remind', RemindInputSchema, (input) => remind(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
