import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteFunctionConcurrencyCommand,
  GetEventSourceMappingCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import type { TrainingPipelineControl } from '#ports/aws-levers.ts';

/** Stops a training pipeline: Lambda concurrency 0, event-source mappings off, EventBridge rule off. */
export class AwsTrainingPipelineControl implements TrainingPipelineControl {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly events: EventBridgeClient,
  ) {}

  async getConcurrency(functionName: string) {
    const r = await this.lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
    );
    return r.ReservedConcurrentExecutions ?? null;
  }

  async setConcurrency(functionName: string, reserved: number | null) {
    if (reserved === null)
      await this.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: functionName }));
    else
      await this.lambda.send(
        new PutFunctionConcurrencyCommand({
          FunctionName: functionName,
          ReservedConcurrentExecutions: reserved,
        }),
      );
  }

  async getMappingEnabled(uuid: string) {
    const r = await this.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    return r.State === 'Enabled' || r.State === 'Enabling' || r.State === 'Updating';
  }

  async setMappingEnabled(uuid: string, enabled: boolean) {
    await this.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: enabled }));
  }

  async getRuleEnabled(name: string, bus?: string) {
    const r = await this.events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }));
    return r.State === 'ENABLED';
  }

  async setRuleEnabled(name: string, bus: string | undefined, enabled: boolean) {
    await this.events.send(
      enabled
        ? new EnableRuleCommand({ Name: name, EventBusName: bus })
        : new DisableRuleCommand({ Name: name, EventBusName: bus }),
    );
  }
}
