import type { Context } from 'aws-lambda';
import { NOTIFY_ENV, SendBatchInputSchema } from '#contracts/notify.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { notifyDeps } from '#runtime/notify-deps.ts';
import { portsForIncident } from '#use-cases/drill/drill-mode.ts';
import { sendBatch } from '#use-cases/notify/notify-customers.ts';

/**
 * notify-customers item processor: one batch of at most 50 recipients → SendBulkEmail. A drill
 * incident's batch goes to the drill sink (DRILL_NOTICE_SINK), never to the customers; without
 * a drill sink a drill incident fails.
 */
export const buildDeps = (rt: RuntimeConfig) => notifyDeps(rt);

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('send-customer-notices', SendBatchInputSchema, async (input) => {
    const { drillMailer } = deps;
    const mailer = await portsForIncident(
      {
        store: deps.store,
        production: deps.mailer,
        ...(drillMailer ? { drill: () => drillMailer } : {}),
      },
      input.incidentId,
    );
    return sendBatch(
      {
        ...deps,
        mailer,
        emailHmac: await deps.emailHmac(),
        sender: deps.env[NOTIFY_ENV.sender],
        noticeData: deps.env[NOTIFY_ENV.noticeData],
      },
      input,
    );
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
