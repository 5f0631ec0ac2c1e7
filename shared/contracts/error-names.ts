/**
 * Every error name a state machine may route on (ErrorEquals). A static test checks each
 * `ErrorEquals` in state-machines/*.asl.json against this list (plus States.* and Lambda.*).
 */
export const ERROR_NAMES = [
  'RetryableError',
  'NonRetryableError',
  'ValidationError',
  'VerificationFailedError',
  'StorefrontUnavailableError',
  'GatewayUnavailableError',
  'ApprovalRejectedError',
  'NotReversibleError',
  'IncidentNotFoundError',
  'SupersededError',
  // customer notifications (issue 7)
  'SesThrottledError',
  'TemplateNotApprovedError',
] as const;

export type ErrorName = (typeof ERROR_NAMES)[number];

/** The Lambda service exceptions every Lambda Task retries. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;
