/** Resolves `.waitForTaskToken` tasks (Step Functions SendTaskSuccess / SendTaskFailure). */
export interface TaskTokens {
  succeed(token: string, output: unknown): Promise<void>;
  fail(token: string, error: string, cause: string): Promise<void>;
}
