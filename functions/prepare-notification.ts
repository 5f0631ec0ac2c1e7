import type { Context } from 'aws-lambda';
import { NotifyStartSchema } from '#contracts/notify.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { notifyDeps } from '#runtime/notify-deps.ts';
import { prepareNotification } from '#use-cases/notify/notify-customers.ts';

/** notify-customers step 1: scope present, every needed template version approved, SES templates stored. */
export const buildDeps = (rt: RuntimeConfig) => notifyDeps(rt);

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('prepare-notification', NotifyStartSchema, (input) =>
    prepareNotification(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
