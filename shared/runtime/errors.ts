import type { ErrorName } from '#contracts/error-names.ts';

/** Base for errors that Step Functions routes on: `name` is explicit and listed in error-names.ts. */
export abstract class NamedError extends Error {
  abstract override readonly name: ErrorName;
}

/** Throttling, 5xx, timeouts: the state machine retries with backoff. */
export class RetryableError extends NamedError {
  override readonly name = 'RetryableError' as const;
}

/** 4xx, validation, unrecoverable state: no retry, straight to the escalate path. */
export class NonRetryableError extends NamedError {
  override readonly name = 'NonRetryableError' as const;
}

/** The effect of a containment action could not be confirmed. */
export class VerificationFailedError extends NamedError {
  override readonly name = 'VerificationFailedError' as const;
}

/** Magento (or its database / hosts) cannot be reached. */
export class StorefrontUnavailableError extends NamedError {
  override readonly name = 'StorefrontUnavailableError' as const;
}

/** A payment gateway cannot be reached or keeps failing. */
export class GatewayUnavailableError extends NamedError {
  override readonly name = 'GatewayUnavailableError' as const;
}

export class IncidentNotFoundError extends NamedError {
  override readonly name = 'IncidentNotFoundError' as const;
}

/** One line, no stack, no payload: safe to return to a caller or a log. */
export function errorSummary(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message.split('\n')[0] ?? '' };
  return { name: 'Error', message: String(err).slice(0, 200) };
}

/** SES throttled the call (HTTP 429 / TooManyRequests / per-entry ACCOUNT_THROTTLED): retried with backoff. */
export class SesThrottledError extends NamedError {
  override readonly name = 'SesThrottledError' as const;
}

/** A customer notice template version has no approval record for its exact content. */
export class TemplateNotApprovedError extends NamedError {
  override readonly name = 'TemplateNotApprovedError' as const;
}
