import type { Context } from 'aws-lambda';
import { IntakeEventSchema } from '#contracts/regulatory-workflow.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { regulatoryDeps } from '#runtime/regulatory-deps.ts';
import { intake } from '#use-cases/regulatory/workflow.ts';

/** Bus rule target: copies facts/scope/contacts into the regulatory table and starts regulatory-clock for the facts hash. */
export const buildDeps = (rt: RuntimeConfig) => regulatoryDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('regulatory-intake', IntakeEventSchema, (input) => intake(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
