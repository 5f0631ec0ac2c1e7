import type { Context } from 'aws-lambda';
import { NOTIFY_ENV, SendBatchInputSchema } from '#contracts/notify.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { notifyDeps } from '#runtime/notify-deps.ts';
import { sendBatch } from '#use-cases/notify/notify-customers.ts';

/** notify-customers item processor: one batch of at most 50 recipients → SendBulkEmail. */
export const buildDeps = (rt: RuntimeConfig) => notifyDeps(rt);

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('send-customer-notices', SendBatchInputSchema, async (input) =>
    sendBatch(
      {
        ...deps,
        emailHmac: await deps.emailHmac(),
        sender: deps.env[NOTIFY_ENV.sender],
        noticeData: deps.env[NOTIFY_ENV.noticeData],
      },
      input,
    ),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
