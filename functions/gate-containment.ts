import type { Context } from 'aws-lambda';
import { GateInputSchema } from '#contracts/state-io.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { gate } from '#use-cases/containment/gate.ts';

/** Approval requests, decisions and escalations of containment actions (task tokens). */
export const buildDeps = (rt: RuntimeConfig) => storeDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('gate-containment', GateInputSchema, (input) => gate(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
