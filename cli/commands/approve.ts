import { readFileSync } from 'node:fs';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { OverrideInputSchema } from '../../shared/contracts/overrides.ts';
import { CliError } from '../errors.ts';

interface Target {
  endpoint?: string;
  profile?: string;
  region?: string;
}

/** The real Step Functions client: AWS (--profile/--region) or the local runtime's SFN stand-in (--endpoint). */
function sfnClient(o: Target): SFNClient {
  if (o.profile) process.env.AWS_PROFILE = o.profile;
  return new SFNClient({
    region: o.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(o.endpoint
      ? { endpoint: o.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

const withTarget = (c: Command) =>
  c
    .option('--endpoint <url>', 'Step Functions endpoint (the local runtime stand-in)')
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', 'AWS region');

function decision(o: { approver?: string; reason?: string }) {
  if (!o.approver || o.approver.trim().length < 2)
    throw new CliError('--approver NAME is required');
  if (!o.reason || o.reason.trim().length < 5)
    throw new CliError('--reason TEXT is required (at least 5 characters)');
  return { approver: o.approver.trim(), reason: o.reason.trim() };
}

async function send(
  client: SFNClient,
  cmd: SendTaskSuccessCommand | SendTaskFailureCommand | StartExecutionCommand,
) {
  try {
    return await client.send(cmd as never);
  } catch (err) {
    const name = (err as Error).name;
    throw new CliError(
      `${name}: ${(err as Error).message.split('\n')[0]}`,
      name === 'TaskDoesNotExist' || name === 'InvalidToken' ? 2 : 1,
    );
  }
}

export function registerApprove(program: Command): void {
  withTarget(
    program
      .command('approve <taskToken>')
      .description(
        'approve a waiting containment action (or retry an escalated one): SendTaskSuccess',
      )
      .requiredOption('--approver <name>', 'who approves')
      .requiredOption('--reason <text>', 'why'),
  ).action(async (token: string, o: Target & { approver: string; reason: string }) => {
    const d = decision(o);
    await send(
      sfnClient(o),
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ approved: true, ...d }),
      }),
    );
    process.stdout.write(`approved by ${d.approver}\n`);
  });
  withTarget(
    program
      .command('reject <taskToken>')
      .description(
        'reject a waiting containment action (or skip an escalated one): SendTaskFailure ApprovalRejectedError',
      )
      .requiredOption('--approver <name>', 'who rejects')
      .requiredOption('--reason <text>', 'why'),
  ).action(async (token: string, o: Target & { approver: string; reason: string }) => {
    const d = decision(o);
    await send(
      sfnClient(o),
      new SendTaskFailureCommand({
        taskToken: token,
        error: 'ApprovalRejectedError',
        cause: JSON.stringify({ approved: false, ...d }),
      }),
    );
    process.stdout.write(`rejected by ${d.approver}\n`);
  });
  withTarget(
    program
      .command('override')
      .description('start the `override` state machine with a validated input (docs/overrides.md)')
      .requiredOption('--input <file>', 'JSON file with the override input')
      .option(
        '--state-machine-arn <arn>',
        'override state machine ARN',
        'arn:aws:states:us-east-1:123456789012:stateMachine:override',
      ),
  ).action(async (o: Target & { input: string; stateMachineArn: string }) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(o.input, 'utf8'));
    } catch (err) {
      throw new CliError(`--input ${o.input}: ${(err as Error).message.split('\n')[0]}`);
    }
    const r = OverrideInputSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new CliError(`--input ${o.input}: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
    }
    const out = (await send(
      sfnClient(o),
      new StartExecutionCommand({
        stateMachineArn: o.stateMachineArn,
        input: JSON.stringify(r.data),
      }),
    )) as { executionArn?: string };
    process.stdout.write(`${out.executionArn}\n`);
  });
}
