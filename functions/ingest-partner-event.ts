import { parseEnv } from '#contracts/env.ts';
import { INGEST_ENV } from '#contracts/ingest-env.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy } from '#runtime/handler.ts';
import { createLogger } from '#runtime/logger.ts';
import { webhookBaseDeps } from '#runtime/webhook-function.ts';
import { ingestPartnerEvent, type PartnerEvent } from '#use-cases/ingest-partner-event.ts';

/** Stripe and Adobe I/O events from an EventBridge partner event source (no signature). */
export function buildDeps(rt: RuntimeConfig) {
  return webhookBaseDeps(rt, parseEnv(INGEST_ENV['ingest-partner-event'], rt.env));
}

const log = createLogger('ingest-partner-event');

/** Rejections are quarantined and returned (no retry); store or bus trouble throws (retry). */
export const makeHandler = (deps: ReturnType<typeof buildDeps>) => async (event: unknown) => {
  const res = await ingestPartnerEvent(deps, (event ?? {}) as PartnerEvent);
  log.info('partner event', { status: res.status });
  return res;
};

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown) => instance()(event);
