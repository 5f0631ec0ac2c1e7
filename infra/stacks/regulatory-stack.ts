import { Arn, Aws, Duration, RemovalPolicy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import {
  AccountPrincipal,
  Effect,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
} from 'aws-cdk-lib/aws-s3';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DETAIL_TYPE } from '../../shared/contracts/events.ts';
import {
  REG_ENV,
  REGULATORY_BUS_NAME,
  REGULATORY_SCHEDULE_GROUP,
  type RegulatoryDrillDelivery,
  RegulatoryDrillDeliverySchema,
  RegulatoryProfileSchema,
} from '../../shared/contracts/regulatory-workflow.ts';
import { accessLogBucket } from '../constructs/access-log-bucket.ts';
import { LambdaFunction } from '../constructs/lambda-function.ts';
import { OperatorAlerts } from '../constructs/operator-alerts.ts';
import { StateMachineFromFile } from '../constructs/state-machine-from-file.ts';
import { acknowledge } from '../nag.ts';

export interface RegulatoryStackProps extends StackProps {
  stage?: string;
  /** JSON of RegulatoryProfileSchema (entity, contacts); copied into each incident's case. */
  profile?: string;
  /** Account of the responder, when different: may put events on this stack's bus. */
  responderAccount?: string;
  /** Who is paged when the regulator workflow has undelivered events (its own topic, its own region). */
  alarmEmails?: string[];
  /**
   * Notices of drill cases: never the authority. Default `dry-run` (filed as evidence, not sent);
   * `drill-recipient` sends them, marked as a drill, to that mailbox only.
   */
  drillDelivery?: RegulatoryDrillDelivery;
}

/** Detail types the responder's bus forwards here (infra/stacks/features/regulatory-forwarding.ts). */
export const REGULATORY_DETAIL_TYPES = [
  DETAIL_TYPE.incidentDeclared,
  DETAIL_TYPE.incidentClassified,
  DETAIL_TYPE.incidentUpdated,
  DETAIL_TYPE.scopeAssessed,
  DETAIL_TYPE.regulatoryFactsUpdated,
];

/**
 * The regulator workflow's own stack: own key, table, bus, evidence bucket (Object Lock),
 * Scheduler group and role, state machine and `regulatory-*` functions. It imports nothing from
 * the other stacks, so it can be deployed to another region or account and keeps notifying
 * regulators when the storefront and the responder are down.
 */
export class RegulatoryStack extends Stack {
  readonly key: Key;
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly evidenceBucket: Bucket;

  constructor(scope: Construct, id: string, props: RegulatoryStackProps = {}) {
    super(scope, id, props);
    const stage = props.stage ?? 'prod';
    const profile = props.profile
      ? RegulatoryProfileSchema.parse(JSON.parse(props.profile))
      : undefined;
    this.key = new Key(this, 'RegulatoryKey', {
      enableKeyRotation: true,
      description: 'Tourniquet regulatory workflow data',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new TableV2(this, 'RegulatoryTable', {
      tableName: `tourniquet-regulatory-${stage}`,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = accessLogBucket(this, 'RegulatoryAccessLogs', { versioned: true });
    this.evidenceBucket = new Bucket(this, 'RegulatoryEvidence', {
      bucketName: `tourniquet-reg-evidence-${Aws.ACCOUNT_ID}-${Aws.REGION}-${stage}`,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(365 * 6)),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'regulatory-evidence/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bus = new EventBus(this, 'RegulatoryBus', { eventBusName: REGULATORY_BUS_NAME });
    if (
      props.responderAccount &&
      !Token.isUnresolved(this.account) &&
      props.responderAccount !== this.account
    ) {
      this.bus.addToResourcePolicy(
        new PolicyStatement({
          sid: 'ResponderForwards',
          effect: Effect.ALLOW,
          principals: [new AccountPrincipal(props.responderAccount)],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
        }),
      );
    }
    const dlq = new Queue(this, 'RegulatoryDlq', {
      encryption: QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      dlq,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the regulatory bus rule.',
    );
    // alerts of the regulator workflow do not depend on the responder stack being up
    new OperatorAlerts(this, 'OperatorAlerts', { emails: props.alarmEmails }).alarmOnDeadLetters(
      dlq,
      'Regulator workflow intake',
    );

    const base: Record<string, string> = {
      [REG_ENV.table]: this.table.tableName,
      [REG_ENV.stage]: stage,
      ...(props.profile ? { [REG_ENV.profile]: JSON.stringify(profile) } : {}),
    };
    const fn = (name: string, env: Record<string, string> = {}) => {
      const f = new LambdaFunction(
        this,
        name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
        {
          name,
          environment: { ...base, ...env },
        },
      );
      this.table.grantReadWriteData(f.fn);
      return f;
    };

    const remind = fn('regulatory-remind');
    new CfnScheduleGroup(this, 'ReminderGroup', { name: REGULATORY_SCHEDULE_GROUP });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler invokes regulatory-remind',
    });
    schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [remind.fn.functionArn],
      }),
    );
    const schedulerEnv = {
      [REG_ENV.remindFunctionArn]: remind.fn.functionArn,
      [REG_ENV.schedulerRoleArn]: schedulerRole.roleArn,
      [REG_ENV.scheduleGroup]: REGULATORY_SCHEDULE_GROUP,
    };
    const evidenceEnv = { [REG_ENV.evidenceBucket]: this.evidenceBucket.bucketName };
    const plan = fn('regulatory-plan', schedulerEnv);
    const draft = fn('regulatory-draft');
    const requestApproval = fn('regulatory-request-approval');
    const drillDelivery = RegulatoryDrillDeliverySchema.parse(
      props.drillDelivery ?? { mode: 'dry-run' },
    );
    const send = fn('regulatory-send', {
      ...schedulerEnv,
      ...evidenceEnv,
      [REG_ENV.drillDelivery]: JSON.stringify(drillDelivery),
    });
    const escalate = fn('regulatory-escalate');

    const scheduleArn = Arn.format(
      {
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${REGULATORY_SCHEDULE_GROUP}/*`,
      },
      this,
    );
    for (const f of [plan, send]) {
      f.fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:UpdateSchedule',
            'scheduler:DeleteSchedule',
          ],
          resources: [scheduleArn],
        }),
      );
      schedulerRole.grantPassRole(f.fn.role!);
    }
    this.evidenceBucket.grantPut(send.fn);

    // SES: only the sender identity and the configured authority / officer addresses.
    const identities = profile
      ? [
          ...new Set([
            profile.contacts.sender.split('@')[1]!,
            profile.contacts.sender,
            profile.contacts.complianceOfficer,
            profile.contacts.escalation,
            ...Object.values(profile.contacts.authorities),
            ...(drillDelivery.mode === 'drill-recipient' ? [drillDelivery.to] : []),
          ]),
        ].map((id) => Arn.format({ service: 'ses', resource: 'identity', resourceName: id }, this))
      : [];
    if (identities.length > 0)
      for (const f of [requestApproval, send, escalate, remind])
        f.fn.addToRolePolicy(
          new PolicyStatement({ actions: ['ses:SendEmail'], resources: identities }),
        );

    const machine = new StateMachineFromFile(this, 'RegulatoryClock', {
      file: 'regulatory-clock',
      functions: {
        RegulatoryPlan: plan.fn,
        RegulatoryDraft: draft.fn,
        RegulatoryRequestApproval: requestApproval.fn,
        RegulatorySend: send.fn,
        RegulatoryEscalate: escalate.fn,
      },
      timeout: Duration.days(90),
    });
    const intake = fn('regulatory-intake', {
      [REG_ENV.stateMachineArn]: machine.stateMachine.stateMachineArn,
    });
    machine.stateMachine.grantStartExecution(intake.fn);
    machine.stateMachine.grantTaskResponse(intake.fn);

    new Rule(this, 'IncidentFactsToIntake', {
      eventBus: this.bus,
      description: 'Incident, classification, scope and facts updates reach the regulator workflow',
      eventPattern: { detailType: REGULATORY_DETAIL_TYPES },
      targets: [new LambdaTarget(intake.fn, { deadLetterQueue: dlq, retryAttempts: 8 })],
    });
    this.acknowledgeGrants(stage);
  }

  private acknowledgeGrants(stage: string) {
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    const reasons: Array<[string, string]> = [
      [
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        "Grant on the regulatory stack's single CMK (table and evidence bucket).",
      ],
      [
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        "Grant on the regulatory stack's single CMK (table and evidence bucket).",
      ],
      [
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'PutObject grant on the evidence bucket includes aborting its own multipart uploads.',
      ],
      [
        'AwsSolutions-IAM5[Resource::<RegulatoryEvidence8AA96994.Arn>/*]',
        'Objects of the one regulatory evidence bucket (append-only, Object Lock).',
      ],
      [
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${region}:${account}:schedule/${REGULATORY_SCHEDULE_GROUP}/*]`,
        'One-time reminder schedules of the regulatory schedule group only (names derived per obligation).',
      ],
      [
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:${region}:${account}:table/tourniquet-regulatory-${stage}/index/*]`,
        'Table grant includes its (future) indexes.',
      ],
    ];
    for (const [id, reason] of reasons) acknowledge(this, id, reason);
  }
}
