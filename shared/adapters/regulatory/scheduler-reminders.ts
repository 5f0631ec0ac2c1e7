import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { ReminderScheduler, ReminderTarget } from '#ports/regulatory.ts';

/**
 * Reminders as EventBridge Scheduler one-time schedules `at(...)` (UTC) that invoke the
 * regulatory-remind function and delete themselves after firing. Names are derived from the
 * incident, the obligation and the stage, so a reschedule updates and never duplicates.
 */
export class SchedulerReminders implements ReminderScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly opts: { group: string; targetArn: string; roleArn: string },
  ) {}

  async upsert(name: string, at: string, payload: ReminderTarget) {
    const params = {
      Name: name,
      GroupName: this.opts.group,
      ScheduleExpression: `at(${at.slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Description: `${payload.stage} reminder`,
      Target: {
        Arn: this.opts.targetArn,
        RoleArn: this.opts.roleArn,
        Input: JSON.stringify(payload),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(params));
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      await this.client.send(new UpdateScheduleCommand(params));
    }
  }

  async remove(name: string) {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.opts.group }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
