import type { Context } from 'aws-lambda';
import { SesEventSchema } from '#contracts/notify.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { notifyDeps } from '#runtime/notify-deps.ts';
import { recordEmailEvent } from '#use-cases/notify/notify-customers.ts';

/** SES event (delivery, bounce, complaint, reject) from the default bus → send record + suppression list. */
export const buildDeps = (rt: RuntimeConfig) => notifyDeps(rt);

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('record-email-event', SesEventSchema, async (ev) => {
    const d = ev.detail;
    const addresses = [
      ...(d.bounce?.bouncedRecipients ?? []).map((r) => r.emailAddress),
      ...(d.complaint?.complainedRecipients ?? []).map((r) => r.emailAddress),
    ];
    return recordEmailEvent(
      { notify: deps.notify, emailHmac: await deps.emailHmac(), clock: deps.clock },
      {
        eventType: d.eventType,
        messageId: d.mail.messageId,
        bounceType: d.bounce?.bounceType,
        addresses,
      },
    );
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
