import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import {
  DeleteFunctionConcurrencyCommand,
  GetEventSourceMappingCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  GetIPSetCommand,
  GetWebACLCommand,
  UpdateIPSetCommand,
  UpdateWebACLCommand,
  WAFOptimisticLockException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IamAccessKeyControl } from '#adapters/iam-access-keys.ts';
import { renderMagentoCommand, SsmMagentoHost } from '#adapters/magento-ssm.ts';
import { SecretsManagerRotation } from '#adapters/secrets-rotation.ts';
import { AwsTrainingPipelineControl } from '#adapters/training-pipeline.ts';
import { WafV2Levers } from '#adapters/waf-levers.ts';
import { NonRetryableError, StorefrontUnavailableError } from '#runtime/errors.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from '#use-cases/containment/levers.ts';

const target: LeverTarget = {
  incidentId: 'INC-AWS-1',
  customerIds: [],
  cardFingerprints: [],
  paymentIntents: [],
  ips: ['203.0.113.9'],
};
const basePorts = { stripeKnownWebhookUrls: [], stripeBlockListId: 'x' };

describe('WAF lever (aws-sdk-client-mock)', () => {
  const waf = mockClient(WAFV2Client);
  const ipSet = { name: 'tq-block', id: 'ips-1', scope: 'REGIONAL' as const };
  const webAcl = { name: 'magento', id: 'acl-1', scope: 'REGIONAL' as const };
  let addresses: string[];
  let rules: Array<{ Name: string }>;
  let lock: number;
  let conflicts: number;
  beforeEach(() => {
    waf.reset();
    addresses = ['198.51.100.0/24'];
    rules = [{ Name: 'aws-managed' }];
    lock = 1;
    conflicts = 0;
    waf.on(GetIPSetCommand).callsFake(() => ({
      IPSet: {
        Name: ipSet.name,
        Id: ipSet.id,
        ARN: 'arn:aws:wafv2:eu-west-1:1:regional/ipset/tq-block/ips-1',
        Addresses: [...addresses],
        IPAddressVersion: 'IPV4',
      },
      LockToken: `lock-${lock}`,
    }));
    waf.on(UpdateIPSetCommand).callsFake((i) => {
      if (conflicts-- > 0 || i.LockToken !== `lock-${lock}`)
        throw new WAFOptimisticLockException({ message: 'stale', $metadata: {} });
      addresses = i.Addresses;
      lock++;
      return { NextLockToken: `lock-${lock}` };
    });
    waf.on(GetWebACLCommand).callsFake(() => ({
      WebACL: {
        Name: webAcl.name,
        Id: webAcl.id,
        ARN: 'arn',
        DefaultAction: { Allow: {} },
        Rules: [...rules],
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: 'm',
        },
      },
      LockToken: `lock-${lock}`,
    }));
    waf.on(UpdateWebACLCommand).callsFake((i) => {
      if (i.LockToken !== `lock-${lock}`)
        throw new WAFOptimisticLockException({ message: 'stale', $metadata: {} });
      rules = i.Rules;
      lock++;
      return { NextLockToken: `lock-${lock}` };
    });
  });
  const ports = (): LeverPorts => ({
    ...basePorts,
    waf: new WafV2Levers(new WAFV2Client({ region: 'eu-west-1' })),
    wafConfig: {
      ipSet,
      webAcl,
      rulePriority: 5,
      exportPaths: ['/admin/mui/export', '/admin/admin/export'],
    },
  });

  it('adds the IP and the export-route rule, verifies, and release restores exactly', async () => {
    const lever = LEVERS['aws.waf-block-admin-export']!;
    const p = ports();
    const pre = await lever.snapshot(p, target);
    const { changed, result } = await lever.act(p, target, pre);
    expect(changed).toBe(2);
    expect(addresses).toEqual(['198.51.100.0/24', '203.0.113.9/32']);
    const rule = rules.find((r) => r.Name === 'tourniquet-block-admin-export') as any;
    expect(rule.Action).toEqual({ Block: {} });
    expect(rule.Statement.OrStatement.Statements).toHaveLength(3);
    expect((await lever.verify(p, target, pre, result)).ok).toBe(true);
    await lever.release(p, target, pre, result);
    expect(addresses).toEqual(['198.51.100.0/24']);
    expect(rules.map((r) => r.Name)).toEqual(['aws-managed']);
  });

  it('retries on WAFOptimisticLockException with a fresh LockToken', async () => {
    conflicts = 2;
    const out = await new WafV2Levers(new WAFV2Client({ region: 'eu-west-1' })).setIpSet(
      ipSet,
      (c) => [...c, '192.0.2.1/32'],
    );
    expect(out).toContain('192.0.2.1/32');
    expect(waf.commandCalls(GetIPSetCommand)).toHaveLength(3);
    expect(waf.commandCalls(UpdateIPSetCommand)).toHaveLength(3);
  });

  it('gives up with a RetryableError when the lock keeps conflicting', async () => {
    conflicts = 99;
    await expect(
      new WafV2Levers(new WAFV2Client({ region: 'eu-west-1' }), 3).setIpSet(ipSet, (c) => c),
    ).rejects.toMatchObject({ name: 'RetryableError' });
  });
});

describe('SSM bin/magento host (aws-sdk-client-mock)', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());
  it('sends AWS-RunShellScript to the targets and returns per-host output', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    ssm
      .on(ListCommandInvocationsCommand)
      .resolvesOnce({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'InProgress' }] })
      .resolves({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'Success' }] });
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Success',
      StandardOutputContent:
        'Status: maintenance mode is active\nList of exempt IP-addresses: 10.0.0.1',
    });
    const host = new SsmMagentoHost(new SSMClient({ region: 'eu-west-1' }), {
      targets: ['i-1'],
      magentoRoot: '/var/www/magento',
      runAs: 'www-data',
      pollMs: 1,
    });
    const out = await host.run({ kind: 'maintenance:enable', allowIps: ['10.0.0.1'] }, 'INC-1:m');
    expect(out).toEqual([
      { instanceId: 'i-1', status: 'Success', stdout: expect.stringContaining('active') },
    ]);
    const sent = ssm.commandCalls(SendCommandCommand)[0]!.args[0].input;
    expect(sent.DocumentName).toBe('AWS-RunShellScript');
    expect(sent.InstanceIds).toEqual(['i-1']);
    expect(sent.Parameters?.commands).toEqual([
      'cd /var/www/magento && sudo -u www-data bin/magento maintenance:enable --ip=10.0.0.1',
    ]);
  });
  it('an undeliverable command means the storefront host is down', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-2' } });
    ssm
      .on(ListCommandInvocationsCommand)
      .resolves({ CommandInvocations: [{ InstanceId: 'i-1', Status: 'Undeliverable' as never }] });
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Undeliverable' as never });
    const host = new SsmMagentoHost(new SSMClient({ region: 'eu-west-1' }), {
      targets: ['tag:Role=magento'],
      magentoRoot: '/srv/m',
      runAs: 'www-data',
      pollMs: 1,
    });
    await expect(host.run({ kind: 'cache:flush' }, 'k')).rejects.toBeInstanceOf(
      StorefrontUnavailableError,
    );
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input.Targets).toEqual([
      { Key: 'tag:Role', Values: ['magento'] },
    ]);
  });
  it('refuses shell metacharacters in arguments', () => {
    expect(() =>
      renderMagentoCommand({ kind: 'maintenance:enable', allowIps: ['1.2.3.4; rm -rf /'] }),
    ).toThrow(NonRetryableError);
    expect(() =>
      renderMagentoCommand({
        kind: 'config:set',
        path: 'payment/x/active',
        value: '0 && id',
        lockEnv: true,
      }),
    ).toThrow(NonRetryableError);
    expect(
      renderMagentoCommand({
        kind: 'config:set',
        path: 'payment/checkmo/active',
        value: '0',
        lockEnv: true,
      }),
    ).toBe('bin/magento config:set payment/checkmo/active 0 --lock-env');
  });
});

describe('training pipeline, IAM keys, secrets (aws-sdk-client-mock)', () => {
  const lambda = mockClient(LambdaClient);
  const events = mockClient(EventBridgeClient);
  const iam = mockClient(IAMClient);
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => {
    lambda.reset();
    events.reset();
    iam.reset();
    sm.reset();
  });
  const ports = (): LeverPorts => ({
    ...basePorts,
    pipelines: new AwsTrainingPipelineControl(
      new LambdaClient({ region: 'eu-west-1' }),
      new EventBridgeClient({ region: 'eu-west-1' }),
    ),
    accessKeys: new IamAccessKeyControl(new IAMClient({ region: 'us-east-1' })),
    secrets: new SecretsManagerRotation(new SecretsManagerClient({ region: 'eu-west-1' })),
    pipelineConfig: {
      functions: ['train'],
      eventSourceMappings: ['esm-1'],
      rules: [{ name: 'nightly-train' }],
      iamUsers: ['trainer'],
      secrets: ['dataset-db'],
    },
  });

  it('stops the pipeline (concurrency 0, mapping off, rule off) and release restores the pre-state', async () => {
    let reserved: number | undefined;
    let mapping = 'Enabled';
    let rule = 'ENABLED';
    lambda
      .on(GetFunctionConcurrencyCommand)
      .callsFake(() => ({ ReservedConcurrentExecutions: reserved }));
    lambda.on(PutFunctionConcurrencyCommand).callsFake((i) => {
      reserved = i.ReservedConcurrentExecutions;
      return {};
    });
    lambda.on(DeleteFunctionConcurrencyCommand).callsFake(() => {
      reserved = undefined;
      return {};
    });
    lambda.on(GetEventSourceMappingCommand).callsFake(() => ({ State: mapping }));
    lambda.on(UpdateEventSourceMappingCommand).callsFake((i) => {
      mapping = i.Enabled ? 'Enabled' : 'Disabled';
      return {};
    });
    events.on(DescribeRuleCommand).callsFake(() => ({ State: rule }));
    events.on(DisableRuleCommand).callsFake(() => {
      rule = 'DISABLED';
      return {};
    });
    events.on(EnableRuleCommand).callsFake(() => {
      rule = 'ENABLED';
      return {};
    });
    const lever = LEVERS['aws.stop-training-pipeline']!;
    const p = ports();
    const pre = await lever.snapshot(p, target);
    const { changed, result } = await lever.act(p, target, pre);
    expect(changed).toBe(3);
    expect([reserved, mapping, rule]).toEqual([0, 'Disabled', 'DISABLED']);
    expect((await lever.verify(p, target, pre, result)).ok).toBe(true);
    await lever.release(p, target, pre, result);
    expect([reserved, mapping, rule]).toEqual([undefined, 'Enabled', 'ENABLED']);
    expect(lambda.commandCalls(DeleteFunctionConcurrencyCommand)).toHaveLength(1);
  });

  it('deactivates only active keys of the pipeline user and restores them', async () => {
    const keys: Record<string, string> = { AKIA1: 'Active', AKIA2: 'Inactive' };
    iam.on(ListAccessKeysCommand).callsFake(() => ({
      AccessKeyMetadata: Object.entries(keys).map(([AccessKeyId, Status]) => ({
        AccessKeyId,
        Status,
      })),
    }));
    iam.on(UpdateAccessKeyCommand).callsFake((i) => {
      keys[i.AccessKeyId] = i.Status;
      return {};
    });
    const lever = LEVERS['aws.deactivate-access-keys']!;
    const p = ports();
    const pre = await lever.snapshot(p, target);
    const { result } = await lever.act(p, target, pre);
    expect(keys).toEqual({ AKIA1: 'Inactive', AKIA2: 'Inactive' });
    expect((await lever.verify(p, target, pre, result)).ok).toBe(true);
    await lever.release(p, target, pre, result);
    expect(keys).toEqual({ AKIA1: 'Active', AKIA2: 'Inactive' });
  });

  it('rotates secrets with an incident-derived ClientRequestToken and release moves AWSCURRENT back', async () => {
    let stages: Record<string, string[]> = { v1: ['AWSCURRENT'] };
    sm.on(DescribeSecretCommand).callsFake(() => ({ VersionIdsToStages: stages }));
    sm.on(RotateSecretCommand).callsFake((i) => {
      stages = { v1: ['AWSPREVIOUS'], [i.ClientRequestToken]: ['AWSCURRENT'] };
      return { VersionId: i.ClientRequestToken };
    });
    sm.on(UpdateSecretVersionStageCommand).callsFake((i) => {
      stages = { [i.MoveToVersionId]: ['AWSCURRENT'], [i.RemoveFromVersionId]: ['AWSPREVIOUS'] };
      return {};
    });
    const lever = LEVERS['aws.rotate-secrets']!;
    const p = ports();
    const pre = await lever.snapshot(p, target);
    const { result } = await lever.act(p, target, pre);
    const token = sm.commandCalls(RotateSecretCommand)[0]!.args[0].input.ClientRequestToken!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(token).toContain('INC-AWS-1');
    expect((await lever.verify(p, target, pre, result)).ok).toBe(true);
    await lever.release(p, target, pre, result);
    expect(stages.v1).toEqual(['AWSCURRENT']);
  });
});
