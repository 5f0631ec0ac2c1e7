import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { BundledScenarios } from '#adapters/drill/bundled-scenarios.ts';
import { S3EvidenceStore } from '#adapters/s3-evidence-store.ts';
import { DRILL_ENV, ScoreDrillInputSchema } from '#contracts/drills.ts';
import { parseEnv } from '#contracts/env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import { type RuntimeConfig, sdkConfig } from '#runtime/config.ts';
import { emfLine } from '#runtime/emf.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { type DrillScoreDeps, scoreDrillRun } from '#use-cases/drill/score-drill.ts';
import { DRILL_METRICS_NAMESPACE } from '#use-cases/incident-metrics.ts';

const EnvSchema = z.object({ [DRILL_ENV.reportsBucket]: z.string().min(3) });

export function buildDeps(
  rt: RuntimeConfig,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): DrillScoreDeps {
  const env = parseEnv(EnvSchema, rt.env);
  return {
    ...storeDeps(rt),
    evidence: new S3EvidenceStore(
      new S3Client(sdkConfig(rt.aws, 's3')),
      env[DRILL_ENV.reportsBucket],
    ),
    scenarios: new BundledScenarios(),
    metric: (dimensions, values) =>
      write(emfLine(DRILL_METRICS_NAMESPACE, dimensions, values, rt.clock.now().getTime())),
  };
}

/** Task of the `drill` state machine: settled yet? then score, report under drill-reports/. */
export const makeHandler = (deps: DrillScoreDeps) =>
  taskHandler('score-drill', ScoreDrillInputSchema, (input) => scoreDrillRun(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
