import { randomUUID } from 'node:crypto';
import { AwsJsonError, AwsJsonServer } from './aws-json-server.ts';

interface Invocation {
  commandId: string;
  instanceId: string;
  status: 'InProgress' | 'Success' | 'Failed' | 'Undeliverable';
  stdout: string;
  responseCode: number;
  done: Promise<void>;
}

/**
 * SSM Run Command on loopback (AWS JSON 1.1, `AmazonSSM.*`): SendCommand (AWS-RunShellScript only),
 * ListCommandInvocations, GetCommandInvocation. Each invocation runs the document's `commands`
 * on the host simulator (POST /__host/exec); a host that refuses the connection is `Undeliverable`,
 * a host answering 5xx or a non-zero exit code is `Failed` — as SSM reports them.
 */
export class SsmStandIn {
  private readonly server = new AwsJsonServer();
  private readonly invocations = new Map<string, Invocation[]>();
  readonly sent: Array<{ commandId: string; instanceIds: string[]; commands: string[] }> = [];

  constructor(
    private readonly hostUrl: () => string,
    private readonly instances: () => string[],
  ) {
    this.server
      .on('AmazonSSM.SendCommand', (b) => this.sendCommand(b))
      .on('AmazonSSM.ListCommandInvocations', (b) => ({
        CommandInvocations: this.get(b.CommandId).map((i) => ({
          CommandId: i.commandId,
          InstanceId: i.instanceId,
          DocumentName: 'AWS-RunShellScript',
          Status: i.status,
          StatusDetails: i.status,
        })),
      }))
      .on('AmazonSSM.GetCommandInvocation', (b) => {
        const inv = this.get(b.CommandId).find((i) => i.instanceId === b.InstanceId);
        if (!inv) throw new AwsJsonError('InvocationDoesNotExist', 'invocation does not exist');
        return {
          CommandId: inv.commandId,
          InstanceId: inv.instanceId,
          DocumentName: 'AWS-RunShellScript',
          Status: inv.status,
          StatusDetails: inv.status,
          ResponseCode: inv.responseCode,
          StandardOutputContent: inv.stdout,
          StandardErrorContent: '',
        };
      });
  }

  start(): Promise<string> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.invocations.values()].flat().map((i) => i.done));
    await this.server.stop();
  }

  private get(commandId: unknown): Invocation[] {
    const list = this.invocations.get(String(commandId));
    if (!list) throw new AwsJsonError('InvalidCommandId', 'invalid command id');
    return list;
  }

  private sendCommand(b: {
    DocumentName?: string;
    InstanceIds?: string[];
    Targets?: Array<{ Key: string; Values: string[] }>;
    Parameters?: { commands?: string[] };
  }) {
    if (b.DocumentName !== 'AWS-RunShellScript')
      throw new AwsJsonError('InvalidDocument', `document ${b.DocumentName} not found`);
    const known = this.instances();
    const ids = b.InstanceIds?.length ? b.InstanceIds : b.Targets?.length ? known : [];
    if (ids.length === 0) throw new AwsJsonError('InvalidInstanceId', 'no target instances');
    const unknown = ids.filter((i) => !known.includes(i));
    if (unknown.length) throw new AwsJsonError('InvalidInstanceId', 'instances not managed by SSM');
    const commands = b.Parameters?.commands ?? [];
    const commandId = randomUUID();
    this.sent.push({ commandId, instanceIds: ids, commands });
    const list: Invocation[] = ids.map((instanceId) => {
      const inv: Invocation = {
        commandId,
        instanceId,
        status: 'InProgress',
        stdout: '',
        responseCode: -1,
        done: Promise.resolve(),
      };
      inv.done = this.run(inv, commands);
      return inv;
    });
    this.invocations.set(commandId, list);
    const now = Date.now() / 1000;
    return {
      Command: {
        CommandId: commandId,
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ids,
        Status: 'Pending',
        RequestedDateTime: now,
        TargetCount: ids.length,
      },
    };
  }

  private async run(inv: Invocation, commands: string[]): Promise<void> {
    let res: Response;
    try {
      res = await fetch(new URL('/__host/exec', this.hostUrl()), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instanceId: inv.instanceId, commands }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      inv.status = 'Undeliverable';
      return;
    }
    const body = (await res.json().catch(() => ({}))) as { exitCode?: number; stdout?: string };
    inv.stdout = String(body.stdout ?? '').slice(0, 24_000);
    inv.responseCode = res.ok ? Number(body.exitCode ?? 1) : -1;
    inv.status = res.ok && inv.responseCode === 0 ? 'Success' : 'Failed';
  }
}
