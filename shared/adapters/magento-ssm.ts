import {
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  type ListCommandInvocationsCommandOutput,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { MagentoCommand, MagentoCommandResult, MagentoHost } from '#ports/magento.ts';
import { NonRetryableError, RetryableError, StorefrontUnavailableError } from '#runtime/errors.ts';

const IP = /^(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?$|^[0-9a-fA-F:]+(?:\/\d{1,3})?$/;
const CONFIG_PATH = /^[a-z0-9_]+(?:\/[a-z0-9_]+){2}$/;
const CACHE_TYPE = /^[a-z_]+$/;
const VALUE = /^[A-Za-z0-9_.,:-]{0,64}$/;

/** Renders one validated `bin/magento` command line; anything else is refused (no shell injection). */
export function renderMagentoCommand(c: MagentoCommand): string {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new NonRetryableError(`refused bin/magento argument: ${what}`);
  };
  switch (c.kind) {
    case 'maintenance:status':
    case 'maintenance:disable':
    case 'cache:flush':
      return `bin/magento ${c.kind}`;
    case 'maintenance:enable':
      for (const ip of c.allowIps) check(IP.test(ip), 'ip');
      return `bin/magento maintenance:enable${c.allowIps.map((ip) => ` --ip=${ip}`).join('')}`;
    case 'maintenance:allow-ips':
      for (const ip of c.ips) check(IP.test(ip), 'ip');
      return c.ips.length
        ? `bin/magento maintenance:allow-ips ${c.ips.join(' ')}`
        : 'bin/magento maintenance:allow-ips --none';
    case 'cache:clean':
      for (const t of c.types ?? []) check(CACHE_TYPE.test(t), 'cache type');
      return `bin/magento cache:clean${(c.types ?? []).map((t) => ` ${t}`).join('')}`;
    case 'config:show':
      check(CONFIG_PATH.test(c.path), 'config path');
      return `bin/magento config:show ${c.path}`;
    case 'config:set':
      check(CONFIG_PATH.test(c.path), 'config path');
      check(VALUE.test(c.value), 'config value');
      return `bin/magento config:set ${c.path} ${c.value}${c.lockEnv ? ' --lock-env' : ''}`;
  }
}

export interface MagentoSsmOptions {
  /** EC2 instance ids or a tag target (`tag:Role=magento`). */
  targets: string[];
  /** Magento root on the host, e.g. /var/www/magento. */
  magentoRoot: string;
  /** OS user that owns the Magento files. */
  runAs: string;
  pollMs?: number;
  maxPolls?: number;
}

/** `bin/magento` on the hosts through SSM Run Command (AWS-RunShellScript). */
export class SsmMagentoHost implements MagentoHost {
  constructor(
    private readonly ssm: SSMClient,
    private readonly opts: MagentoSsmOptions,
  ) {}

  async run(command: MagentoCommand, idempotencyKey: string): Promise<MagentoCommandResult[]> {
    const line = renderMagentoCommand(command);
    const { targets, magentoRoot, runAs } = this.opts;
    const tagTargets = targets.filter((t) => t.startsWith('tag:'));
    const instanceIds = targets.filter((t) => !t.startsWith('tag:'));
    let commandId: string | undefined;
    try {
      const sent = await this.ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          Comment: `tourniquet ${command.kind} ${idempotencyKey}`.slice(0, 100),
          ...(instanceIds.length ? { InstanceIds: instanceIds } : {}),
          ...(tagTargets.length
            ? {
                Targets: tagTargets.map((t) => {
                  const [k, v] = t.slice(4).split('=');
                  return { Key: `tag:${k}`, Values: [v ?? ''] };
                }),
              }
            : {}),
          Parameters: {
            commands: [`cd ${magentoRoot} && sudo -u ${runAs} ${line}`],
            executionTimeout: ['600'],
          },
          TimeoutSeconds: 60,
        }),
      );
      commandId = sent.Command?.CommandId;
    } catch (err) {
      throw classify(err);
    }
    if (!commandId) throw new RetryableError('SSM SendCommand returned no CommandId');
    const pollMs = this.opts.pollMs ?? 1000;
    for (let i = 0; i < (this.opts.maxPolls ?? 120); i++) {
      let list: ListCommandInvocationsCommandOutput;
      try {
        list = await this.ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId }));
      } catch (err) {
        throw classify(err);
      }
      const invs = list.CommandInvocations ?? [];
      const pending =
        invs.length === 0 ||
        invs.some((x) => ['Pending', 'InProgress', 'Delayed'].includes(String(x.Status)));
      if (!pending) {
        const out: MagentoCommandResult[] = [];
        for (const inv of invs) {
          const detail = await this.ssm.send(
            new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: inv.InstanceId! }),
          );
          out.push({
            instanceId: inv.InstanceId!,
            status: String(detail.Status),
            stdout: (detail.StandardOutputContent ?? '').slice(0, 4000),
          });
        }
        const bad = out.filter((r) => r.status !== 'Success');
        if (
          bad.some((r) =>
            ['Undeliverable', 'TimedOut', 'Terminated', 'DeliveryTimedOut'].includes(r.status),
          )
        ) {
          throw new StorefrontUnavailableError(
            `bin/magento ${command.kind}: host(s) unreachable (${bad.map((b) => b.status).join(',')})`,
          );
        }
        if (bad.length)
          throw new NonRetryableError(
            `bin/magento ${command.kind} failed on ${bad.length} host(s)`,
          );
        return out;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    throw new RetryableError(`bin/magento ${command.kind}: still running after polling`);
  }
}

function classify(err: unknown): Error {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (
    status === 0 ||
    /ECONNREFUSED|ECONNRESET|socket hang up|TimeoutError/i.test(
      `${e.name} ${e.code} ${(err as Error).message}`,
    )
  ) {
    return new StorefrontUnavailableError(`SSM unreachable (${e.name ?? 'error'})`);
  }
  if (status === 429 || status >= 500 || e.name === 'ThrottlingException')
    return new RetryableError(`SSM ${e.name}`);
  return new NonRetryableError(
    `SSM ${e.name}: ${(err as Error).message.split('\n')[0]?.slice(0, 200)}`,
  );
}
