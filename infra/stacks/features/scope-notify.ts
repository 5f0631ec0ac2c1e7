import { Arn, ArnFormat, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { EventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { DETAIL_TYPE } from '../../../shared/contracts/events.ts';
import { NOTIFY_ENV, SES_DETAIL_TYPES } from '../../../shared/contracts/notify.ts';
import { accessLogBucket } from '../../constructs/access-log-bucket.ts';
import { StateMachineFromFile } from '../../constructs/state-machine-from-file.ts';
import { acknowledge } from '../../nag.ts';
import type { ResponderContext } from '../responder-context.ts';

/**
 * Issue 7 — scope and customer notifications: the data-map exporter on a schedule (Magento read
 * replica → scope bucket), assess-scope, the notify-customers state machine (Distributed Map over
 * the recipient batch file) with its functions, SES templates / bulk sending / configuration set
 * whose events reach the default bus and record-email-event.
 */
export function addScopeNotify(ctx: ResponderContext): void {
  const { stack, bus, key, dlq } = ctx;
  const get = (k: string) => stack.node.tryGetContext(`tourniquet:${k}`) as string | undefined;
  const sender = get('noticeSender') ?? 'security-notices@notices.example.com';
  const senderDomain = sender.split('@')[1] ?? sender;
  const noticeData = get('noticeData') ?? '{}';

  const logs = accessLogBucket(stack, 'ScopeAccessLogs');
  acknowledge(logs, 'AwsSolutions-S1', 'This is the access-log bucket of the scope bucket itself.');
  /** data-map/ (the map), leaks/ (artefacts under assessment), notify/ (recipient batch files). */
  const scopeBucket = new Bucket(stack, 'ScopeBucket', {
    encryption: BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'scope/',
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const hmacKey = new Secret(stack, 'EmailHmacKey', {
    description: 'Key of the keyed HMAC of customer emails in the data map',
    encryptionKey: key,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  /**
   * Envelope key of the contact vault: the exporter may only GenerateDataKey, the sending step may
   * only Decrypt, both bound to the encryption context `purpose=customer-contact`.
   */
  const vaultKey = new Key(stack, 'ContactVaultKey', {
    description: 'Wraps the data keys of the encrypted contact vault (notification workflow only)',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const replica = new Secret(stack, 'DataMapDbSecret', {
    description:
      'Magento read replica, least-privilege SELECT user of the data-map exporter: JSON {host,port,username,password,dbname}; set after deploy',
    encryptionKey: key,
  });
  acknowledge(
    hmacKey,
    'AwsSolutions-SMG4',
    'Rotating the email HMAC key invalidates the data map; it is rotated with a full map rebuild (docs/scope.md).',
  );
  acknowledge(
    replica,
    'AwsSolutions-SMG4',
    'The replica user is managed by the Magento database team; its password is rotated there and stored here.',
  );

  const mapPrefix = 'data-map/';
  const exporter = ctx.fn('export-data-map', {
    [NOTIFY_ENV.scopeBucket]: scopeBucket.bucketName,
    [NOTIFY_ENV.mapPrefix]: mapPrefix,
    [NOTIFY_ENV.emailHmacSecretArn]: hmacKey.secretArn,
    [NOTIFY_ENV.contactKeyArn]: vaultKey.keyArn,
    [NOTIFY_ENV.magentoDbSecretArn]: replica.secretArn,
  });
  scopeBucket.grantRead(exporter.fn, `${mapPrefix}*`);
  scopeBucket.grantPut(exporter.fn, `${mapPrefix}*`);
  for (const s of [hmacKey, replica]) s.grantRead(exporter.fn);
  exporter.fn.addToRolePolicy(vaultKeyUse(vaultKey, 'kms:GenerateDataKey'));
  new Rule(stack, 'DataMapExportSchedule', {
    description: 'Incremental data-map export from the Magento read replica',
    schedule: Schedule.rate(Duration.hours(1)),
    targets: [
      new LambdaTarget(exporter.fn, {
        event: RuleTargetInput.fromObject({ mode: 'incremental' }),
        deadLetterQueue: dlq,
        retryAttempts: 2,
      }),
    ],
  });

  const assess = ctx.fn('assess-scope', {
    [NOTIFY_ENV.busName]: bus.eventBusName,
    [NOTIFY_ENV.scopeBucket]: scopeBucket.bucketName,
    [NOTIFY_ENV.mapPrefix]: mapPrefix,
    [NOTIFY_ENV.emailHmacSecretArn]: hmacKey.secretArn,
  });
  scopeBucket.grantRead(assess.fn, `${mapPrefix}*`);
  scopeBucket.grantRead(assess.fn, 'leaks/*');
  scopeBucket.grantPut(assess.fn, 'notify/*');
  hmacKey.grantRead(assess.fn);
  bus.grantPutEventsTo(assess.fn);

  const configSet = new ConfigurationSet(stack, 'NoticeConfigurationSet', {});
  const defaultBus = EventBus.fromEventBusName(stack, 'DefaultBus', 'default');
  configSet.addEventDestination('ToEventBridge', {
    destination: EventDestination.eventBus(defaultBus),
    events: [
      EmailSendingEvent.DELIVERY,
      EmailSendingEvent.BOUNCE,
      EmailSendingEvent.COMPLAINT,
      EmailSendingEvent.REJECT,
      EmailSendingEvent.RENDERING_FAILURE,
    ],
  });

  const notifyEnv = {
    [NOTIFY_ENV.scopeBucket]: scopeBucket.bucketName,
    [NOTIFY_ENV.emailHmacSecretArn]: hmacKey.secretArn,
    [NOTIFY_ENV.contactKeyArn]: vaultKey.keyArn,
    [NOTIFY_ENV.sender]: sender,
    [NOTIFY_ENV.configurationSet]: configSet.configurationSetName,
    [NOTIFY_ENV.noticeData]: noticeData,
  };
  const sesArn = (resource: string, name: string) =>
    Arn.format({ service: 'ses', resource, resourceName: name }, stack);
  const prepare = ctx.fn('prepare-notification', notifyEnv);
  prepare.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:CreateEmailTemplate', 'ses:GetEmailTemplate'],
      resources: [sesArn('template', 'tourniquet-*')],
    }),
  );
  const send = ctx.fn('send-customer-notices', notifyEnv);
  send.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendBulkEmail', 'ses:SendEmail'],
      resources: [
        sesArn('identity', senderDomain),
        sesArn('identity', sender),
        sesArn('template', 'tourniquet-*'),
        sesArn('configuration-set', configSet.configurationSetName),
      ],
    }),
  );
  // Contact details are released only to the sending step (and written only by the exporter).
  send.fn.addToRolePolicy(vaultKeyUse(vaultKey, 'kms:Decrypt'));
  hmacKey.grantRead(send.fn);
  const finish = ctx.fn('finish-notification', notifyEnv);
  const record = ctx.fn('record-email-event', notifyEnv);
  hmacKey.grantRead(record.fn);
  new Rule(stack, 'SesEventsToRecord', {
    description:
      'SES delivery, bounce, complaint and reject events of customer notices (default bus)',
    eventPattern: { source: ['aws.ses'], detailType: [...SES_DETAIL_TYPES] },
    targets: [new LambdaTarget(record.fn, { deadLetterQueue: dlq, retryAttempts: 8 })],
  });

  const escalate = ctx.functions.escalate;
  if (!escalate) throw new Error('scope-notify: the responder stack has no escalate function');
  const notify = new StateMachineFromFile(stack, 'NotifyCustomers', {
    file: 'notify-customers',
    functions: {
      PrepareNotification: prepare.fn,
      SendCustomerNotices: send.fn,
      FinishNotification: finish.fn,
      EscalateFailure: escalate.fn,
    },
    statements: [
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
  scopeBucket.grantRead(notify.stateMachine, 'notify/*');
  new Rule(stack, 'ScopeAssessedToNotify', {
    eventBus: bus,
    description: 'A scope assessment starts the customer notices (pre-approved templates only)',
    eventPattern: { detailType: [DETAIL_TYPE.scopeAssessed] },
    targets: [new SfnStateMachine(notify.stateMachine, { deadLetterQueue: dlq, retryAttempts: 8 })],
  });

  const bucketRef = `<${stack.getLogicalId(scopeBucket.node.defaultChild as CfnBucket)}.Arn>`;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const acks: Array<[string, string]> = [
    [
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'CDK read grant on one prefix of the scope bucket.',
    ],
    [
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'CDK read grant on one prefix of the scope bucket.',
    ],
    ['AwsSolutions-IAM5[Action::s3:List*]', 'CDK read grant on one prefix of the scope bucket.'],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/${mapPrefix}*]`,
      'The data map is a manifest plus parts whose names carry the export time.',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/leaks/*]`,
      'assess-scope reads the leaked artefacts uploaded under leaks/ (names come from the incident).',
    ],
    [
      `AwsSolutions-IAM5[Resource::${bucketRef}/notify/*]`,
      'Recipient batch files are written per incident under notify/<incidentId>/ and read by the Distributed Map.',
    ],
    [
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${region}:<AWS::AccountId>:template/tourniquet-*]`,
      'One SES template per notice version (tourniquet-<id>-v<n>); versions are added without a redeploy.',
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
}

/** One KMS action on the vault key, only with the vault's encryption context. */
function vaultKeyUse(vaultKey: Key, action: string): PolicyStatement {
  return new PolicyStatement({
    actions: [action],
    resources: [vaultKey.keyArn],
    conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'customer-contact' } },
  });
}
