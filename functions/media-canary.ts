import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { MEDIA_ENV } from '#contracts/media.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { emfLine } from '#runtime/emf.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { mediaDeps } from '#runtime/media-deps.ts';
import { type CanaryDeps, runCanary } from '#use-cases/media/run-canary.ts';

type Deps = CanaryDeps & { bucket: string; prefix: string };

export function buildDeps(
  rt: RuntimeConfig,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Deps {
  const d = mediaDeps(rt);
  const bucket = d.env[MEDIA_ENV.canaryBucket];
  if (!bucket) throw new Error(`Invalid environment: ${MEDIA_ENV.canaryBucket}: required`);
  const ns = d.env[MEDIA_ENV.metricsNamespace];
  const stage = d.env.TOURNIQUET_STAGE;
  return {
    media: d.media,
    objects: d.objects,
    bucket,
    prefix: d.env[MEDIA_ENV.canaryPrefix],
    metrics: (values) => write(emfLine(ns, { Stage: stage }, values, rt.clock.now().getTime())),
  };
}

/** Scheduled (EventBridge rule); the event body is ignored. */
export const makeHandler = (deps: Deps) =>
  taskHandler('media-canary', z.unknown(), () =>
    runCanary(deps, { bucket: deps.bucket, prefix: deps.prefix }),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
