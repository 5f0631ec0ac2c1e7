import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { errorSummary, NonRetryableError } from './errors.ts';
import { createLogger } from './logger.ts';

/**
 * The middleware chain of every function: input validated with zod (a bad input is a
 * NonRetryableError naming the path, never echoing values), incident id and execution id
 * appended to the structured logger, failures logged once (redacted) and rethrown with their name.
 */
export function taskHandler<S extends z.ZodType, R>(
  service: string,
  schema: S,
  fn: (input: z.infer<S>, ctx: Context) => Promise<R>,
) {
  const log = createLogger(service);
  return middy(async (event: unknown, ctx: Context) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new NonRetryableError(
        `invalid input at ${i?.path.join('.') || '(root)'}: ${i?.message ?? ''}`,
      );
    }
    const input = parsed.data as { incidentId?: string; executionId?: string };
    log.appendKeys({ incidentId: input.incidentId, executionId: input.executionId });
    try {
      return await fn(parsed.data, ctx);
    } catch (err) {
      log.error(`${service} failed`, { error: errorSummary(err) });
      throw err;
    }
  });
}

/** Builds dependencies once per container, on first use (so importing a handler has no side effects). */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}
