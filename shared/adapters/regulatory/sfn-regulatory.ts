import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { ExecutionStarter, TaskTokens } from '#ports/regulatory.ts';

/** StartExecution by name (idempotent per incident + facts hash). */
export class SfnExecutionStarter implements ExecutionStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: unknown) {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { started: true };
    } catch (err) {
      if (err instanceof ExecutionAlreadyExists) return { started: false };
      throw err;
    }
  }
}

/** Fails a pending approval token (superseded by changed facts); an expired token is fine. */
export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly sfn: SFNClient) {}

  async fail(token: string, error: string, cause: string) {
    try {
      await this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
    } catch (err) {
      if (err instanceof TaskDoesNotExist || err instanceof TaskTimedOut) return;
      if ((err as Error).name === 'TaskDoesNotExist') return;
      throw err;
    }
  }
}
