import { Arn, ArnFormat, Duration, Token } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ENV } from '../../../shared/contracts/env.ts';
import { StateMachineFromFile } from '../../constructs/state-machine-from-file.ts';
import { acknowledge } from '../../nag.ts';
import type { ResponderContext } from '../responder-context.ts';

/**
 * Containment levers (issue 5): configuration and least-privilege IAM of execute-containment,
 * the Magento database secret, and the console `override` state machine.
 * Lever configuration comes from CDK context (`tourniquet:containment`, JSON); absent levers get
 * no permissions and stay unconfigured at run time.
 */
interface ContainmentContext {
  magentoSsmTargets?: string[]; // instance ids or tag:Key=Value
  magentoRoot?: string;
  magentoPaymentMethods?: string[];
  magentoMaintenanceAllowIps?: string[];
  magentoProtectedIntegrations?: string[];
  waf?: {
    ipSet: { name: string; id: string; scope: 'REGIONAL' | 'CLOUDFRONT' };
    webAcl: { name: string; id: string; scope: 'REGIONAL' | 'CLOUDFRONT' };
    rulePriority: number;
    exportPaths: string[];
  };
  breakGlassRoleArn?: string;
  datasetBuckets?: string[];
  trainingPipeline?: {
    functions?: string[];
    eventSourceMappings?: string[];
    rules?: Array<{ name: string; bus?: string }>;
    iamUsers?: string[];
    secrets?: string[];
  };
  adyen?: {
    merchantId: string;
    credentials: Array<{ id: string }>;
    allowedOrigins?: string[];
    apiBase?: string;
  };
}

export function containmentFeature(ctx: ResponderContext): void {
  const { stack, key } = ctx;
  const raw = stack.node.tryGetContext('tourniquet:containment');
  const cfg: ContainmentContext = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
  const execute = ctx.functions.execute!.fn;
  const region = stack.region;
  const account = stack.account;
  const arn = (
    service: string,
    resource: string,
    resourceName?: string,
    sep = ArnFormat.SLASH_RESOURCE_NAME,
  ) => Arn.format({ service, resource, resourceName, arnFormat: sep }, stack);

  const statements: PolicyStatement[] = [];
  const grant = (st: PolicyStatement) => statements.push(st);
  // Magento database: a least-privilege user's credentials (docs/magento-database-user.md).
  const magentoDb = new Secret(stack, 'MagentoDbSecret', {
    description:
      'Magento DB least-privilege user for containment: {"host","port","user","password","database"}',
    encryptionKey: key,
  });
  magentoDb.grantRead(execute);
  acknowledge(
    magentoDb,
    'AwsSolutions-SMG4',
    'Database user managed by the Magento operator; rotate with the DB (docs/operations.md).',
  );
  const env: Record<string, string> = { [ENV.magentoDbSecretArn]: magentoDb.secretArn };

  if (cfg.magentoSsmTargets?.length) {
    env[ENV.magentoSsmTargets] = cfg.magentoSsmTargets.join(',');
    if (cfg.magentoRoot) env[ENV.magentoRoot] = cfg.magentoRoot;
    const ids = cfg.magentoSsmTargets.filter((t) => !t.startsWith('tag:'));
    const tags = cfg.magentoSsmTargets.filter((t) => t.startsWith('tag:'));
    grant(
      new PolicyStatement({
        actions: ['ssm:SendCommand'],
        resources: [
          Arn.format(
            {
              service: 'ssm',
              account: '',
              resource: 'document',
              resourceName: 'AWS-RunShellScript',
            },
            stack,
          ),
        ],
      }),
    );
    if (ids.length)
      grant(
        new PolicyStatement({
          actions: ['ssm:SendCommand'],
          resources: ids.map((i) => arn('ec2', 'instance', i)),
        }),
      );
    for (const t of tags) {
      const [k, v] = t.slice(4).split('=');
      grant(
        new PolicyStatement({
          actions: ['ssm:SendCommand'],
          resources: [arn('ec2', 'instance', '*')],
          conditions: { StringEquals: { [`ssm:resourceTag/${k}`]: v ?? '' } },
        }),
      );
    }
    grant(
      new PolicyStatement({
        actions: ['ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'],
        resources: ['*'],
      }),
    );
    for (const f of [execute])
      acknowledge(
        f,
        'AwsSolutions-IAM5[Resource::*]',
        'ssm:ListCommandInvocations/GetCommandInvocation accept no resource ARN; SendCommand is scoped to AWS-RunShellScript and the Magento instances.',
      );
    if (tags.length)
      acknowledge(
        execute,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${tokenOr(region, '<AWS::Region>')}:${tokenOr(account, '<AWS::AccountId>')}:instance/*]`,
        'SendCommand to instances carrying the Magento tag only (ssm:resourceTag condition).',
      );
  }
  for (const [k, v] of [
    [ENV.magentoPaymentMethods, cfg.magentoPaymentMethods],
    [ENV.magentoMaintenanceAllowIps, cfg.magentoMaintenanceAllowIps],
    [ENV.magentoProtectedIntegrations, cfg.magentoProtectedIntegrations],
  ] as const)
    if (v?.length) env[k] = v.join(',');

  if (cfg.waf) {
    env[ENV.wafConfig] = JSON.stringify(cfg.waf);
    const scope = cfg.waf.ipSet.scope === 'CLOUDFRONT' ? 'global' : 'regional';
    grant(
      new PolicyStatement({
        actions: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
        resources: [arn('wafv2', `${scope}/ipset`, `${cfg.waf.ipSet.name}/${cfg.waf.ipSet.id}`)],
      }),
    );
    grant(
      new PolicyStatement({
        actions: ['wafv2:GetWebACL', 'wafv2:UpdateWebACL'],
        resources: [
          arn('wafv2', `${scope}/webacl`, `${cfg.waf.webAcl.name}/${cfg.waf.webAcl.id}`),
          arn('wafv2', `${scope}/ipset`, `${cfg.waf.ipSet.name}/${cfg.waf.ipSet.id}`),
          arn('wafv2', `${scope}/managedruleset`, '*'),
        ],
      }),
    );
  }
  if (cfg.breakGlassRoleArn) env[ENV.breakGlassRoleArn] = cfg.breakGlassRoleArn;
  for (const b of cfg.datasetBuckets ?? []) {
    grant(
      new PolicyStatement({
        actions: [
          's3:GetBucketPolicy',
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
          's3:ListBucket',
        ],
        resources: [`arn:${stack.partition}:s3:::${b}`],
      }),
    );
    grant(
      new PolicyStatement({
        actions: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
        resources: [`arn:${stack.partition}:s3:::${b}/*`],
      }),
    );
  }
  const tp = cfg.trainingPipeline;
  if (tp) {
    env[ENV.trainingPipeline] = JSON.stringify(tp);
    if (tp.functions?.length)
      grant(
        new PolicyStatement({
          actions: [
            'lambda:GetFunctionConcurrency',
            'lambda:PutFunctionConcurrency',
            'lambda:DeleteFunctionConcurrency',
          ],
          resources: tp.functions.map((f) =>
            arn('lambda', 'function', f, ArnFormat.COLON_RESOURCE_NAME),
          ),
        }),
      );
    if (tp.eventSourceMappings?.length)
      grant(
        new PolicyStatement({
          actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'],
          resources: tp.eventSourceMappings.map((u) =>
            arn('lambda', 'event-source-mapping', u, ArnFormat.COLON_RESOURCE_NAME),
          ),
        }),
      );
    if (tp.rules?.length)
      grant(
        new PolicyStatement({
          actions: ['events:DescribeRule', 'events:DisableRule', 'events:EnableRule'],
          resources: tp.rules.map((r) =>
            arn('events', 'rule', r.bus && r.bus !== 'default' ? `${r.bus}/${r.name}` : r.name),
          ),
        }),
      );
    if (tp.iamUsers?.length)
      grant(
        new PolicyStatement({
          actions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
          resources: tp.iamUsers.map((u) =>
            Arn.format({ service: 'iam', region: '', resource: 'user', resourceName: u }, stack),
          ),
        }),
      );
    if (tp.secrets?.length)
      grant(
        new PolicyStatement({
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:RotateSecret',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          resources: tp.secrets.map((s) =>
            s.startsWith('arn:')
              ? s
              : arn('secretsmanager', 'secret', `${s}-??????`, ArnFormat.COLON_RESOURCE_NAME),
          ),
        }),
      );
  }
  if (cfg.adyen) {
    const adyenKey = new Secret(stack, 'AdyenManagementApiKey', {
      description:
        'Adyen Management API key (role: Management API — API credentials read and write)',
      encryptionKey: key,
    });
    adyenKey.grantRead(execute);
    acknowledge(
      adyenKey,
      'AwsSolutions-SMG4',
      'Vendor-issued credential: rotated in the Adyen Customer Area, then stored here.',
    );
    env[ENV.adyenApiKeySecretArn] = adyenKey.secretArn;
    env[ENV.adyenConfig] = JSON.stringify({ ...cfg.adyen, apiBase: undefined });
    if (cfg.adyen.apiBase) env[ENV.adyenApiBase] = cfg.adyen.apiBase;
  }
  for (const [k, v] of Object.entries(env)) execute.addEnvironment(k, v);
  for (const st of statements) execute.addToRolePolicy(st);

  // Console overrides.
  const apply = ctx.fn('apply-override', env);
  for (const [k, v] of Object.entries(stripeEnvOf(ctx, apply.fn))) apply.fn.addEnvironment(k, v);
  magentoDb.grantRead(apply.fn);
  // release-action restores through the same levers: same permissions as execute-containment.
  for (const st of statements) apply.fn.addToRolePolicy(st);
  const override = new StateMachineFromFile(stack, 'Override', {
    file: 'override',
    functions: { ApplyOverride: apply.fn, EscalateFailure: ctx.functions.escalate!.fn },
    timeout: Duration.minutes(15),
  });
  apply.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resources: ['*'],
    }),
  );
  acknowledge(
    apply.fn,
    'AwsSolutions-IAM5[Resource::*]',
    'SendTaskSuccess/SendTaskFailure act on task tokens and accept no resource ARN.',
  );
  void override;
}

/** apply-override releases through the same Stripe adapter as execute-containment. */
function stripeEnvOf(ctx: ResponderContext, grantee: import('aws-cdk-lib/aws-iam').IGrantable) {
  const secret = ctx.stack.node.tryFindChild('StripeApiKey') as Secret | undefined;
  if (!secret)
    throw new Error(
      'containment feature: the StripeApiKey secret is missing from the responder stack',
    );
  secret.grantRead(grantee);
  return {
    [ENV.stripeApiKeySecretArn]: secret.secretArn,
    [ENV.stripeApiBase]: ctx.config.stripeApiBase,
    [ENV.stripeKnownWebhookUrls]: ctx.config.stripeKnownWebhookUrls.join(','),
  };
}

const tokenOr = (v: string, placeholder: string) => (Token.isUnresolved(v) ? placeholder : v);
