import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env.ts';
import { BUS_NAME, DETAIL_TYPE } from '../../shared/contracts/events.ts';
import { INCREMENTAL_PLAYBOOKS } from '../../shared/contracts/state-io.ts';
import type { TourniquetConfig } from '../config/index.ts';
import { LambdaFunction } from '../constructs/lambda-function.ts';
import { OperatorAlerts } from '../constructs/operator-alerts.ts';
import { StateMachineFromFile } from '../constructs/state-machine-from-file.ts';
import { acknowledge } from '../nag.ts';
import { FEATURES } from './features/index.ts';
import type { ResponderContext } from './responder-context.ts';
import { statefulNames } from './stateful-stack.ts';

export interface ResponderStackProps extends StackProps {
  config: TourniquetConfig;
  /** The data key of the stateful stack (imported, so grants land on this stack's roles). */
  keyArn: string;
}

/** Ingest, triage and containment: functions, the `tourniquet` bus and its rules, state machines. */
export class ResponderStack extends Stack {
  readonly bus: EventBus;
  readonly functions: Record<string, LambdaFunction>;
  readonly context: ResponderContext;

  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    const { config } = props;
    const key = Key.fromKeyArn(this, 'DataKey', props.keyArn);
    const names = statefulNames(config.stage);
    const table = TableV2.fromTableAttributes(this, 'IncidentTable', {
      tableName: names.table,
      encryptionKey: key,
      globalIndexes: ['gsi1'],
    });
    const quarantineBucket = Bucket.fromBucketAttributes(this, 'QuarantineBucket', {
      bucketName: names.quarantineBucket,
      encryptionKey: key,
    });
    const evidenceBucket = Bucket.fromBucketAttributes(this, 'EvidenceBucket', {
      bucketName: names.evidenceBucket,
      encryptionKey: key,
    });
    this.bus = new EventBus(this, 'Bus', { eventBusName: BUS_NAME });
    const dlq = new Queue(this, 'EventDlq', {
      encryption: QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // every alarm of this stack (also those of the feature modules) notifies the operators
    const alerts = new OperatorAlerts(this, 'OperatorAlerts', { emails: config.alarmEmails });
    alerts.alarmOnDeadLetters(dlq, 'Responder bus rules');

    const stripeWebhookSecret = new Secret(this, 'StripeWebhookSecret', {
      description: 'Stripe webhook endpoint signing secret (whsec_…); set the value after deploy',
      encryptionKey: key,
    });
    const stripeApiKey = new Secret(this, 'StripeApiKey', {
      description: 'Stripe restricted API key used for containment; set the value after deploy',
      encryptionKey: key,
    });

    const base = { [ENV.table]: table.tableName, [ENV.stage]: config.stage };
    const fn = (name: string, environment: Record<string, string> = {}) => {
      const f = new LambdaFunction(this, toId(name), {
        name,
        environment: { ...base, ...environment },
      });
      table.grantReadWriteData(f.fn);
      return f;
    };

    const ingestStripe = fn('ingest-stripe-webhook', {
      [ENV.busName]: this.bus.eventBusName,
      [ENV.quarantineBucket]: quarantineBucket.bucketName,
      [ENV.stripeWebhookSecretArn]: stripeWebhookSecret.secretArn,
    });
    const triage = fn('triage-alert', {
      [ENV.busName]: this.bus.eventBusName,
      [ENV.correlationWindowMinutes]: String(config.correlationWindowMinutes),
    });
    const plan = fn('plan-containment');
    const execute = fn('execute-containment', {
      [ENV.stripeApiKeySecretArn]: stripeApiKey.secretArn,
      [ENV.stripeApiBase]: config.stripeApiBase,
      [ENV.stripeKnownWebhookUrls]: config.stripeKnownWebhookUrls.join(','),
    });
    const close = fn('close-containment');
    const escalate = fn('escalate-failure');
    const gate = fn('gate-containment');
    this.functions = { ingestStripe, triage, plan, execute, close, escalate, gate };

    for (const f of [ingestStripe, triage]) this.bus.grantPutEventsTo(f.fn);
    quarantineBucket.grantPut(ingestStripe.fn);
    stripeWebhookSecret.grantRead(ingestStripe.fn);
    stripeApiKey.grantRead(execute.fn);

    const url = ingestStripe.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new CfnOutput(this, 'StripeWebhookUrl', {
      value: url.url,
      description: 'Register in Stripe → Webhooks',
    });

    this.acknowledgeGrants(config.stage);
    acknowledge(
      dlq,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the bus rules.',
    );
    for (const secret of [stripeWebhookSecret, stripeApiKey]) {
      acknowledge(
        secret,
        'AwsSolutions-SMG4',
        'Vendor-issued credential: rotated in the Stripe dashboard, then stored here (docs/operations.md).',
      );
    }

    const respond = new StateMachineFromFile(this, 'Respond', {
      file: 'respond',
      functions: {
        PlanContainment: plan.fn,
        ExecuteContainment: execute.fn,
        CloseContainment: close.fn,
        EscalateFailure: escalate.fn,
        GateContainment: gate.fn,
      },
      timeout: Duration.days(7),
    });

    this.context = {
      stack: this,
      config,
      bus: this.bus,
      dlq,
      key,
      table,
      quarantineBucket,
      evidenceBucket,
      fn,
      functions: this.functions,
    };

    new Rule(this, 'AlertToTriage', {
      eventBus: this.bus,
      description: 'Every normalised alert is triaged',
      eventPattern: { detailType: [DETAIL_TYPE.alert] },
      targets: [new LambdaTarget(triage.fn, { deadLetterQueue: dlq, retryAttempts: 8 })],
    });
    new Rule(this, 'DeclaredToRespond', {
      eventBus: this.bus,
      description: 'A declared incident with a playbook starts containment',
      eventPattern: {
        detailType: [DETAIL_TYPE.incidentDeclared],
        detail: { playbook: [{ exists: true }], severity: [{ 'anything-but': ['P4'] }] },
      },
      targets: [
        new SfnStateMachine(respond.stateMachine, { deadLetterQueue: dlq, retryAttempts: 8 }),
      ],
    });
    new Rule(this, 'UpdatedToRespond', {
      eventBus: this.bus,
      description:
        'An alert joining a deepfake-media incident (one more flagged image or upload) starts an incremental containment pass for its new targets',
      eventPattern: {
        detailType: [DETAIL_TYPE.incidentUpdated],
        detail: {
          playbook: [...INCREMENTAL_PLAYBOOKS],
          severity: [{ 'anything-but': ['P4'] }],
        },
      },
      targets: [
        new SfnStateMachine(respond.stateMachine, { deadLetterQueue: dlq, retryAttempts: 8 }),
      ],
    });
    for (const addFeature of FEATURES) addFeature(this.context);
  }

  /** CDK grants on one table, one key and one bucket expand to these wildcard forms. */
  private acknowledgeGrants(stage: string) {
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    const tableRef = `arn:<AWS::Partition>:dynamodb:${region}:${account}:table/tourniquet-incidents-${stage}`;
    const bucketRef = `tourniquet-quarantine-<AWS::AccountId>-<AWS::Region>-${stage}`;
    const reasons: Array<[string, string]> = [
      [
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'Grant on the single data key (CMK) of the incident table and buckets.',
      ],
      [
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'Grant on the single data key (CMK) of the incident table and buckets.',
      ],
      [
        `AwsSolutions-IAM5[Resource::${tableRef}/index/*]`,
        "Read access to the incident table's own GSIs (listing incidents).",
      ],
      [
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'PutObject grant on the quarantine bucket includes aborting its own multipart uploads.',
      ],
      [
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketRef}/*]`,
        'Objects of the one quarantine bucket (keys are content hashes).',
      ],
    ];
    for (const [id, reason] of reasons) acknowledge(this, id, reason);
  }
}

function toId(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}
