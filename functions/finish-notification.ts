import type { Context } from 'aws-lambda';
import { FinishNotifyInputSchema } from '#contracts/notify.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { notifyDeps } from '#runtime/notify-deps.ts';
import { finishNotification } from '#use-cases/notify/notify-customers.ts';

/** notify-customers last step: totals recounted from the send records, timeline entry. */
export const buildDeps = (rt: RuntimeConfig) => notifyDeps(rt);

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('finish-notification', FinishNotifyInputSchema, (input) =>
    finishNotification(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
