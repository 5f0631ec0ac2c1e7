import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { RECOVERY_ENV } from '../../../shared/contracts/recovery.ts';
import { parseSyntheticRegistry } from '../../../shared/contracts/synthetic-registry.ts';
import { StateMachineFromFile } from '../../constructs/state-machine-from-file.ts';
import { acknowledge } from '../../nag.ts';
import type { ResponderContext } from '../responder-context.ts';

export const SYNTHETIC_REGISTRY_FILE = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'config',
  'synthetic-sources.json',
);

/**
 * Recovery gate (state-machines/recover.asl.json): isolated restores (DynamoDB PITR into a new
 * table; the Magento database from an RDS snapshot into an isolated security group), the scan
 * before promotion, remediation and promotion approvals.
 */
export function addRecovery(ctx: ResponderContext): void {
  const { stack, key } = ctx;
  const get = (k: string) => {
    const v = stack.node.tryGetContext(`tourniquet:${k}`);
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  };
  const registry = parseSyntheticRegistry(
    JSON.parse(readFileSync(SYNTHETIC_REGISTRY_FILE, 'utf8')),
  );
  const fingerprintKey = new Secret(stack, 'RecoveryFingerprintKey', {
    description:
      'Keyed-hash key for exposed-record fingerprints; the same key as the data map email HMAC',
    encryptionKey: key,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  const magentoDb = new Secret(stack, 'RecoveryMagentoDbSecret', {
    description:
      'Read-only user of restored Magento databases: {"host","port","user","password","database"}; set after deploy',
    encryptionKey: key,
  });
  for (const s of [fingerprintKey, magentoDb])
    acknowledge(
      s,
      'AwsSolutions-SMG4',
      'Rotating breaks fingerprints recorded during an open incident (key) / the read-only user is managed in the database (credential); rotation is a documented manual step (docs/recovery-and-drills.md).',
    );
  const env = {
    [RECOVERY_ENV.dynamoMode]: 'point-in-time',
    [RECOVERY_ENV.magentoMode]: get('recoveryMagentoMode') ?? 'rds-snapshot',
    [RECOVERY_ENV.magentoDbSecretArn]: magentoDb.secretArn,
    [RECOVERY_ENV.rdsIsolatedSecurityGroup]:
      get('recoveryIsolatedSecurityGroup') ?? 'sg-isolated-unset',
    [RECOVERY_ENV.rdsSubnetGroup]: get('recoveryDbSubnetGroup') ?? 'tourniquet-recovery-isolated',
    [RECOVERY_ENV.magentoDatabase]: get('magentoDatabase') ?? 'magento',
    [RECOVERY_ENV.fingerprintKeySecretArn]: fingerprintKey.secretArn,
    [RECOVERY_ENV.registry]: JSON.stringify(registry),
  };
  const names = [
    'start-isolated-restore',
    'check-restore-status',
    'scan-restored-data',
    'request-recovery-approval',
    'promote-restore',
  ] as const;
  const fns = Object.fromEntries(names.map((n) => [n, ctx.fn(n, env)]));
  const tableArn = (name: string) =>
    Arn.format({ service: 'dynamodb', resource: 'table', resourceName: name }, stack);
  const restorers = [
    fns['start-isolated-restore']!,
    fns['check-restore-status']!,
    fns['scan-restored-data']!,
  ];
  for (const f of restorers) {
    fingerprintKey.grantRead(f.fn);
    magentoDb.grantRead(f.fn);
    f.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeTable', 'dynamodb:Scan'],
        resources: [tableArn('*-restore-*')],
      }),
    );
    f.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['rds:DescribeDBInstances'],
        resources: [
          Arn.format(
            {
              service: 'rds',
              resource: 'db',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            stack,
          ),
        ],
      }),
    );
  }
  const start = fns['start-isolated-restore']!.fn;
  start.addToRolePolicy(
    new PolicyStatement({
      // PITR reads the source table's backups and creates the NEW *-restore-* table.
      actions: [
        'dynamodb:RestoreTableToPointInTime',
        'dynamodb:DescribeTable',
        'dynamodb:Scan',
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ],
      resources: [tableArn('*')],
    }),
  );
  start.addToRolePolicy(
    new PolicyStatement({
      actions: ['rds:RestoreDBInstanceFromDBSnapshot', 'rds:AddTagsToResource'],
      resources: [
        Arn.format(
          {
            service: 'rds',
            resource: 'db',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
        Arn.format(
          {
            service: 'rds',
            resource: 'snapshot',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
        Arn.format(
          {
            service: 'rds',
            resource: 'subgrp',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
        Arn.format(
          {
            service: 'rds',
            resource: 'og',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
        Arn.format(
          {
            service: 'rds',
            resource: 'pg',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
        Arn.format({ service: 'ec2', resource: 'security-group', resourceName: '*' }, stack),
      ],
    }),
  );
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const wild = [
    `dynamodb:${region}:${account}:table/*-restore-*`,
    `dynamodb:${region}:${account}:table/*`,
    ...['db', 'snapshot', 'subgrp', 'og', 'pg'].map((t) => `rds:${region}:${account}:${t}:*`),
    `ec2:${region}:${account}:security-group/*`,
  ];
  for (const f of Object.values(fns))
    for (const w of wild)
      acknowledge(
        f,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${w}]`,
        'Restore targets are created per incident (names *-restore-<id>) and the source table, snapshot, subnet group and isolated security group are chosen at run time; actions are limited to restore, describe and scan.',
      );
  // Restored media: the scan reads check-media's verdict tag of every object a restored record
  // references (the media feature's bucket; relative gallery paths resolve against it).
  const scan = fns['scan-restored-data']!;
  const media = stack.node.tryFindChild('MediaBucket') as Bucket | undefined;
  if (media) {
    scan.fn.addEnvironment(RECOVERY_ENV.mediaBucket, media.bucketName);
    scan.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObjectTagging'],
        resources: [media.arnForObjects('*')],
      }),
    );
    acknowledge(
      scan,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(media.node.defaultChild as CfnBucket)}.Arn>/*]`,
      'Restored records reference any object of the media bucket; the scan only reads object tags (the media verdict).',
    );
  }
  new StateMachineFromFile(stack, 'Recover', {
    file: 'recover',
    functions: {
      StartIsolatedRestore: fns['start-isolated-restore']!.fn,
      CheckRestoreStatus: fns['check-restore-status']!.fn,
      ScanRestoredData: fns['scan-restored-data']!.fn,
      RequestRecoveryApproval: fns['request-recovery-approval']!.fn,
      PromoteRestore: fns['promote-restore']!.fn,
      EscalateFailure: ctx.functions.escalate!.fn,
    },
  });
}
