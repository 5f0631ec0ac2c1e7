import type { Context } from 'aws-lambda';
import { CheckMediaEventSchema } from '#contracts/media.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { mediaDeps } from '#runtime/media-deps.ts';
import { type CheckMediaDeps, checkMediaObject } from '#use-cases/media/check-media-object.ts';

export function buildDeps(rt: RuntimeConfig): CheckMediaDeps {
  return mediaDeps(rt);
}

export const makeHandler = (deps: CheckMediaDeps) =>
  taskHandler('check-media', CheckMediaEventSchema, (input) => checkMediaObject(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
