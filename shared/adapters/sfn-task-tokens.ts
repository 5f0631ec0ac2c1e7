import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { TaskTokens } from '#ports/task-tokens.ts';

export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly sfn: SFNClient) {}

  async succeed(token: string, output: unknown) {
    await this.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }),
    );
  }

  async fail(token: string, error: string, cause: string) {
    await this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
  }
}
