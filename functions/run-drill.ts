import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { BundledScenarios } from '#adapters/drill/bundled-scenarios.ts';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { DRILL_ENV, RunDrillInputSchema } from '#contracts/drills.ts';
import { parseEnv } from '#contracts/env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { type DrillRunnerDeps, injectDrillStep, prepareDrill } from '#use-cases/drill/run-drill.ts';

const EnvSchema = z.object({ [DRILL_ENV.busName]: z.string().min(1) });

export function buildDeps(rt: RuntimeConfig): DrillRunnerDeps {
  const env = parseEnv(EnvSchema, rt.env);
  return {
    scenarios: new BundledScenarios(),
    publisher: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env[DRILL_ENV.busName],
    ),
    clock: rt.clock,
  };
}

/** Task of the `drill` state machine: plan a run from DrillRequested, or deliver one injection. */
export const makeHandler = (deps: DrillRunnerDeps) =>
  taskHandler('run-drill', RunDrillInputSchema, async (input) =>
    input.op === 'prepare' ? prepareDrill(deps, input.request) : injectDrillStep(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
