import { ArnFormat, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { DRILL_MEDIA_PREFIX } from '../../../shared/contracts/drills.ts';
import { ENV } from '../../../shared/contracts/env.ts';
import { MEDIA_ENV } from '../../../shared/contracts/media.ts';
import { accessLogBucket } from '../../constructs/access-log-bucket.ts';
import type { LambdaFunction } from '../../constructs/lambda-function.ts';
import { StateMachineFromFile } from '../../constructs/state-machine-from-file.ts';
import { acknowledge } from '../../nag.ts';
import type { ResponderContext } from '../responder-context.ts';

/**
 * Media checks (issue 6): check-media on S3 object-created events and `MediaUploaded` events,
 * the scan-media state machine (Distributed Map), the effectiveness canary on a schedule with
 * precision/recall alarms.
 */
export function addMediaFeature(ctx: ResponderContext): void {
  const { stack, config } = ctx;
  const get = (k: string) => stack.node.tryGetContext(`tourniquet:${k}`) as string | undefined;
  const tps = get('rekognitionTps') ?? '5';
  const floor = Number(get('mediaCanaryFloor') ?? 0.9);
  const thresholds = get('mediaThresholds') ?? '{}';

  const logs = accessLogBucket(stack, 'MediaAccessLogs');
  acknowledge(logs, 'AwsSolutions-S1', 'This is the access-log bucket of the media bucket itself.');
  /** KYC uploads and catalog image copies (and the canary set under canary/). */
  const media = new Bucket(stack, 'MediaBucket', {
    encryption: BucketEncryption.KMS,
    encryptionKey: ctx.key,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'media/',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // EventBridge notifications as a plain property (no notifications custom-resource Lambda).
  (media.node.defaultChild as CfnBucket).addPropertyOverride(
    'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
    true,
  );

  const env = {
    EVENT_BUS_NAME: ctx.bus.eventBusName,
    [MEDIA_ENV.thresholds]: thresholds,
    [MEDIA_ENV.rekognitionEnabled]: 'true',
    [MEDIA_ENV.rekognitionTps]: tps,
    [MEDIA_ENV.mediaBucket]: media.bucketName,
  };
  const rekognition = new PolicyStatement({
    actions: [
      'rekognition:DetectFaces',
      'rekognition:CompareFaces',
      'rekognition:DetectModerationLabels',
    ],
    resources: ['*'],
  });
  const check = ctx.fn('check-media', env);
  media.grantRead(check.fn);
  check.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
      resources: [media.arnForObjects('*')],
    }),
  );
  check.fn.addToRolePolicy(rekognition);
  ctx.bus.grantPutEventsTo(check.fn);

  new Rule(stack, 'MediaObjectCreatedToCheck', {
    description:
      'A new KYC upload or catalog image is checked (not drill media: run-drill announces those as drills)',
    eventPattern: {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      // drill/<run id>/ holds scheduled drills' generated media: checked as drills only
      detail: {
        bucket: { name: [media.bucketName] },
        object: { key: [{ 'anything-but': { prefix: DRILL_MEDIA_PREFIX } }] },
      },
    },
    targets: [new LambdaTarget(check.fn, { deadLetterQueue: ctx.dlq, retryAttempts: 8 })],
  });
  new Rule(stack, 'MediaUploadedToCheck', {
    eventBus: ctx.bus,
    description:
      'Media announced by the ingest path (KYC vendor, Magento catalog change) is checked',
    eventPattern: { detailType: ['MediaUploaded'] },
    targets: [new LambdaTarget(check.fn, { deadLetterQueue: ctx.dlq, retryAttempts: 8 })],
  });

  // Deepfake playbook levers (levers-media.ts) run in execute-containment and are released
  // through apply-override (`release-action`): both get the same lever settings and grants.
  // Quarantine copies go to the quarantine bucket, the held tag goes on the media object.
  const leverFns = [
    ctx.functions.execute?.fn,
    (stack.node.tryFindChild('ApplyOverride') as LambdaFunction | undefined)?.fn,
  ];
  if (leverFns.some((f) => !f))
    throw new Error('media feature: execute-containment / apply-override are missing');
  // kyc.hold-applicant: the KYC / IDV vendor's REST API (tourniquet:kycApiBase) and its API
  // key (secret KycApiKey, set after deploy). Without the context the lever is unconfigured
  // and escalates to a human.
  const kycApiBase = get('kycApiBase');
  const kycKey = kycApiBase
    ? new Secret(stack, 'KycApiKey', {
        description: 'KYC / identity-verification vendor API key (bearer); set after deploy',
        encryptionKey: ctx.key,
      })
    : undefined;
  if (kycKey)
    acknowledge(
      kycKey,
      'AwsSolutions-SMG4',
      'Vendor-issued credential: rotated at the KYC vendor, then stored here.',
    );
  for (const f of leverFns as NodejsFunction[]) {
    f.addEnvironment(ENV.quarantineBucket, ctx.quarantineBucket.bucketName);
    f.addEnvironment(MEDIA_ENV.catalogPrefix, 'catalog/product');
    if (kycApiBase && kycKey) {
      kycKey.grantRead(f);
      f.addEnvironment(MEDIA_ENV.kycApiBase, kycApiBase);
      f.addEnvironment(MEDIA_ENV.kycApiKeySecretArn, kycKey.secretArn);
    }
    media.grantRead(f);
    ctx.quarantineBucket.grantPut(f);
    ctx.quarantineBucket.grantRead(f);
    f.addToRolePolicy(
      new PolicyStatement({
        // release restores the original tag set (PutObjectTagging replaces it)
        actions: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
        resources: [media.arnForObjects('*')],
      }),
    );
  }

  // Magento media listings (scan-media `magento` source): from the Magento database through a
  // read-only user (SELECT on the two gallery tables only), or from a listing file under
  // listings/ in the media bucket; the item file goes to scan-items/ for the Distributed Map.
  const listingDb = new Secret(stack, 'MagentoMediaListingDbSecret', {
    description:
      'Magento DB read-only user for media listings (SELECT on catalog_product_entity_media_gallery and _value): {"host","port","user","password","database"}',
    encryptionKey: ctx.key,
  });
  acknowledge(
    listingDb,
    'AwsSolutions-SMG4',
    'Database user managed by the Magento operator; rotate with the DB (docs/operations.md).',
  );
  const list = ctx.fn('list-magento-media', {
    [MEDIA_ENV.itemFileBucket]: media.bucketName,
    [MEDIA_ENV.listingDbSecretArn]: listingDb.secretArn,
  });
  listingDb.grantRead(list.fn);
  media.grantRead(list.fn, 'listings/*');
  media.grantPut(list.fn, 'scan-items/*');

  const scan = new StateMachineFromFile(stack, 'ScanMedia', {
    file: 'scan-media',
    functions: { CheckMedia: check.fn, ListMagentoMedia: list.fn },
    statements: [
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [media.bucketArn] }),
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [media.arnForObjects('inventory/*'), media.arnForObjects('scan-items/*')],
      }),
      new PolicyStatement({
        actions: ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
          stack.formatArn({
            service: 'states',
            resource: 'execution',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    ],
  });
  media.grantRead(scan.stateMachine, 'inventory/*');
  media.grantRead(scan.stateMachine, 'scan-items/*');

  const canary = ctx.fn('media-canary', {
    ...env,
    [MEDIA_ENV.canaryBucket]: media.bucketName,
    [MEDIA_ENV.canaryPrefix]: 'canary/',
    [MEDIA_ENV.metricsNamespace]: 'Tourniquet/Media',
  });
  media.grantRead(canary.fn, 'canary/*');
  canary.fn.addToRolePolicy(rekognition);
  new Rule(stack, 'MediaCanarySchedule', {
    description: 'Effectiveness canary: known synthetic and genuine images, hourly',
    schedule: Schedule.rate(Duration.hours(1)),
    targets: [new LambdaTarget(canary.fn, { deadLetterQueue: ctx.dlq, retryAttempts: 2 })],
  });
  for (const name of ['CanaryPrecision', 'CanaryRecall']) {
    new Alarm(stack, `Media${name}Floor`, {
      alarmDescription: `Media detection ${name.slice(6).toLowerCase()} under the configured floor (${floor})`,
      metric: new Metric({
        namespace: 'Tourniquet/Media',
        metricName: name,
        dimensionsMap: { Stage: config.stage },
        statistic: 'Minimum',
        period: Duration.hours(1),
      }),
      threshold: floor,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }

  const bucketRef = `<${stack.getLogicalId(media.node.defaultChild as CfnBucket)}.Arn>`;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const acks: Array<[string, string]> = [
    ['AwsSolutions-IAM5[Action::s3:GetObject*]', 'CDK read grant on the one media bucket.'],
    ['AwsSolutions-IAM5[Action::s3:GetBucket*]', 'CDK read grant on the one media bucket.'],
    [
      'AwsSolutions-IAM5[Action::s3:List*]',
      'CDK read grant on the one media bucket (scan lists a prefix).',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/*]`,
      'check-media reads and tags any uploaded object of the media bucket.',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/inventory/*]`,
      'scan-media reads S3 Inventory manifests under inventory/.',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/scan-items/*]`,
      'list-magento-media writes, and scan-media reads, the per-run item files under scan-items/.',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/listings/*]`,
      'list-magento-media reads Magento media listing files uploaded under listings/.',
    ],
    [
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'CDK put grant (multipart abort) on the scan-items/ prefix of the media bucket.',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/canary/*]`,
      'The canary reads its fixed set under canary/.',
    ],
    [
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:<AWS::AccountId>:stateMachine:*]`,
      'A Distributed Map starts child executions of its own state machine, whose generated name is not known before deploy.',
    ],
    [
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:<AWS::AccountId>:execution:*]`,
      'A Distributed Map describes and stops its own child executions.',
    ],
  ];
  for (const [id, reason] of acks) acknowledge(stack, id, reason);
  acknowledge(
    stack,
    'AwsSolutions-IAM5[Resource::*]',
    'Rekognition image APIs (DetectFaces, CompareFaces, DetectModerationLabels) do not support resource-level permissions.',
  );
}
