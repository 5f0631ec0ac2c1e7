import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arn, Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import {
  DRILL_ENV,
  DRILL_LEAK_PREFIX,
  DRILL_MEDIA_PREFIX,
  DRILL_REPORTS_PREFIX,
  DRILL_REQUESTED,
  type DrillConfig,
  DrillConfigSchema,
  type DrillNoticeSink,
  type DrillSandboxEnv,
} from '../../../shared/contracts/drills.ts';
import { BUS_NAME, EVENT_SOURCE } from '../../../shared/contracts/events.ts';
import type { LambdaFunction } from '../../constructs/lambda-function.ts';
import { StateMachineFromFile } from '../../constructs/state-machine-from-file.ts';
import { acknowledge } from '../../nag.ts';
import type { ResponderContext } from '../responder-context.ts';

export const DRILL_CONFIG_FILE = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'config',
  'drills.json',
);

/**
 * Scheduled drills (config/drills.json): EventBridge Scheduler puts `DrillRequested` on the bus;
 * a rule starts the `drill` state machine (run-drill injects the scenario's signals as drill
 * alerts, score-drill scores the run and writes its report under drill-reports/ in the evidence
 * bucket). The lever functions get DRILL_SANDBOX: drill incidents use the sandbox endpoints and
 * the drill's own secrets, never production's.
 */
export function addDrills(ctx: ResponderContext): void {
  const { stack, bus, dlq, key, evidenceBucket } = ctx;
  const cfg = DrillConfigSchema.parse(JSON.parse(readFileSync(DRILL_CONFIG_FILE, 'utf8')));

  // Drill mode of the side-effecting adapters: the drill's own credentials, set after deploy.
  const secret = (id: string, description: string) => {
    const s = new Secret(stack, id, { description, encryptionKey: key });
    acknowledge(
      s,
      'AwsSolutions-SMG4',
      'Sandbox credential issued by the vendor (test mode / staging); rotated there, then stored here.',
    );
    return s;
  };
  const stripeKey = secret(
    'DrillStripeTestKey',
    'Stripe TEST-mode restricted key (rk_test_… / sk_test_…) for drills; live keys are refused',
  );
  const adyenKey = secret(
    'DrillAdyenTestKey',
    'Adyen test-environment Management API key for drills',
  );
  const magentoDb = secret(
    'DrillMagentoStagingDb',
    'Magento STAGING database user for drills: {"host","port","user","password","database"}',
  );
  const sandbox: DrillSandboxEnv = {
    stripeApiBase: cfg.sandbox.stripeApiBase,
    stripeKeySecretArn: stripeKey.secretArn,
    stripeKnownWebhookUrls: cfg.sandbox.stripeKnownWebhookUrls,
    adyenApiBase: cfg.sandbox.adyenApiBase,
    adyenKeySecretArn: adyenKey.secretArn,
    magentoDbSecretArn: magentoDb.secretArn,
    kycVendorBase: cfg.sandbox.kycVendorBase,
    leverEnv: cfg.sandbox.leverEnv,
  };
  const sandboxJson = stack.toJsonString(sandbox);
  const leverFns = [
    ctx.functions.execute,
    stack.node.tryFindChild('ApplyOverride') as LambdaFunction | undefined,
  ];
  for (const f of leverFns) {
    if (!f) throw new Error('drills feature: execute-containment / apply-override are missing');
    f.fn.addEnvironment(DRILL_ENV.sandbox, sandboxJson);
    for (const s of [stripeKey, adyenKey, magentoDb]) s.grantRead(f.fn);
  }

  addDrillNotices(ctx, cfg.sandbox.sesConfigurationSet, cfg.sandbox.customerNoticeRecipients);

  const run = ctx.fn('run-drill', { [DRILL_ENV.busName]: bus.eventBusName });
  bus.grantPutEventsTo(run.fn);
  addDrillDataTargets(ctx, run, cfg.sandbox.recovery);
  const score = ctx.fn('score-drill', { [DRILL_ENV.reportsBucket]: evidenceBucket.bucketName });
  evidenceBucket.grantPut(score.fn, `${DRILL_REPORTS_PREFIX}*`);
  acknowledgeReports(score, ctx.config.stage);

  const machine = new StateMachineFromFile(stack, 'Drill', {
    file: 'drill',
    functions: { RunDrill: run.fn, ScoreDrill: score.fn },
    timeout: Duration.days(1),
  });
  new Rule(stack, 'DrillRequestedToDrill', {
    eventBus: bus,
    description: 'A scheduled (or manual) DrillRequested starts the drill state machine',
    eventPattern: { source: [EVENT_SOURCE.drill], detailType: [DRILL_REQUESTED] },
    targets: [
      new SfnStateMachine(machine.stateMachine, { deadLetterQueue: dlq, retryAttempts: 4 }),
    ],
  });

  // Schedules: each puts a DrillRequested event (drill: true) on the bus.
  const group = new CfnScheduleGroup(stack, 'DrillScheduleGroup', {
    name: `tourniquet-drills-${ctx.config.stage}`,
  });
  const role = new Role(stack, 'DrillSchedulerRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    description: 'EventBridge Scheduler puts DrillRequested events on the tourniquet bus',
    inlinePolicies: {
      put: new PolicyDocument({
        statements: [
          new PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
        ],
      }),
    },
  });
  dlq.grantSendMessages(role);
  cfg.schedules.forEach((s, i) => {
    new CfnSchedule(stack, `Drill${i}`, {
      name: `drill-${s.scenario}${s.storefront === 'down' ? '-sf-down' : ''}`.slice(0, 64),
      groupName: group.ref,
      description: `Scheduled drill ${s.scenario} (storefront ${s.storefront})`,
      scheduleExpression: s.expression,
      scheduleExpressionTimezone: cfg.timezone,
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 30 },
      target: {
        arn: bus.eventBusArn,
        roleArn: role.roleArn,
        eventBridgeParameters: { detailType: DRILL_REQUESTED, source: EVENT_SOURCE.drill },
        // Informational: the functions take endpoints and secrets from their own configuration,
        // never from an event on the bus.
        input: JSON.stringify({
          scenario: s.scenario,
          storefront: s.storefront,
          drill: true,
          settleSeconds: cfg.settleSeconds,
          maxSettleChecks: cfg.maxSettleChecks,
          sandbox: cfg.sandbox,
          bus: BUS_NAME,
        }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: dlq.queueArn },
      },
    });
  });
}

/**
 * Customer notices of drill incidents: send-customer-notices gets DRILL_NOTICE_SINK (the sink
 * addresses, e.g. the SES mailbox simulator) and may send through the drill configuration set,
 * whose delivery / bounce events reach record-email-event like production's.
 */
function addDrillNotices(ctx: ResponderContext, setName: string, recipients: string[]) {
  const { stack } = ctx;
  const send = stack.node.tryFindChild('SendCustomerNotices') as LambdaFunction | undefined;
  if (!send) throw new Error('drills feature: send-customer-notices is missing');
  const configSet = new ConfigurationSet(stack, 'DrillNoticeConfigurationSet', {
    configurationSetName: `${setName}-${ctx.config.stage}`,
  });
  configSet.addEventDestination('ToEventBridge', {
    destination: EventDestination.eventBus(
      EventBus.fromEventBusName(stack, 'DrillDefaultBus', 'default'),
    ),
    events: [
      EmailSendingEvent.DELIVERY,
      EmailSendingEvent.BOUNCE,
      EmailSendingEvent.COMPLAINT,
      EmailSendingEvent.REJECT,
      EmailSendingEvent.RENDERING_FAILURE,
    ],
  });
  const sink: DrillNoticeSink = { recipients, configurationSet: configSet.configurationSetName };
  send.fn.addEnvironment(DRILL_ENV.noticeSink, stack.toJsonString(sink));
  send.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendBulkEmail', 'ses:SendEmail'],
      resources: [
        Arn.format(
          {
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configSet.configurationSetName,
          },
          stack,
        ),
      ],
    }),
  );
}

/**
 * The data injections of run-drill, against drill-only resources: generated media under drill/
 * of the media bucket (the production S3 trigger ignores it) announced as drill uploads or
 * scanned by scan-media; generated leaked files under leaks/drill/ of the scope bucket assessed
 * by assess-scope; the recover state machine against the drill restore source of
 * config/drills.json. Image generation and 60-image galleries need more than the default 30 s.
 */
function addDrillDataTargets(
  ctx: ResponderContext,
  run: LambdaFunction,
  recovery: DrillConfig['sandbox']['recovery'],
) {
  const { stack } = ctx;
  const cfn = run.fn.node.defaultChild as CfnFunction;
  cfn.addPropertyOverride('Timeout', 300);
  cfn.addPropertyOverride('MemorySize', 1024);
  const fn = run.fn;
  const media = stack.node.tryFindChild('MediaBucket') as Bucket | undefined;
  const scope = stack.node.tryFindChild('ScopeBucket') as Bucket | undefined;
  const assess = stack.node.tryFindChild('AssessScope') as LambdaFunction | undefined;
  const scan = stack.node.tryFindChild('ScanMedia') as StateMachineFromFile | undefined;
  const recover = stack.node.tryFindChild('Recover') as StateMachineFromFile | undefined;
  const fingerprintKey = stack.node.tryFindChild('RecoveryFingerprintKey') as Secret | undefined;
  const refs: string[] = [];
  if (media) {
    fn.addEnvironment(DRILL_ENV.mediaBucket, media.bucketName);
    media.grantPut(fn, `${DRILL_MEDIA_PREFIX}*`);
    refs.push(
      `<${stack.getLogicalId(media.node.defaultChild as CfnBucket)}.Arn>/${DRILL_MEDIA_PREFIX}*`,
    );
  }
  if (scope && assess) {
    fn.addEnvironment(DRILL_ENV.scopeBucket, scope.bucketName);
    fn.addEnvironment(DRILL_ENV.assessScopeFunction, assess.fn.functionName);
    scope.grantPut(fn, `${DRILL_LEAK_PREFIX}*`);
    assess.fn.grantInvoke(fn);
    refs.push(
      `<${stack.getLogicalId(scope.node.defaultChild as CfnBucket)}.Arn>/${DRILL_LEAK_PREFIX}*`,
    );
  }
  if (scan) {
    fn.addEnvironment(DRILL_ENV.scanMediaStateMachineArn, scan.stateMachine.stateMachineArn);
    scan.stateMachine.grantStartExecution(fn);
  }
  if (recover && recovery) {
    fn.addEnvironment(DRILL_ENV.recoverStateMachineArn, recover.stateMachine.stateMachineArn);
    fn.addEnvironment(DRILL_ENV.recoverySource, JSON.stringify(recovery));
    recover.stateMachine.grantStartExecution(fn);
    if (fingerprintKey) {
      fn.addEnvironment(DRILL_ENV.fingerprintKeySecretArn, fingerprintKey.secretArn);
      fingerprintKey.grantRead(fn);
    }
  }
  for (const r of refs)
    acknowledge(
      run,
      `AwsSolutions-IAM5[Resource::${r}]`,
      'run-drill writes generated drill data only under the drill prefix (keys per run id).',
    );
  acknowledge(
    run,
    'AwsSolutions-IAM5[Action::s3:Abort*]',
    'CDK put grant (multipart abort) on the drill prefixes only.',
  );
  if (assess)
    acknowledge(
      run,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(assess.fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
      'CDK invoke grant on assess-scope and its versions.',
    );
}

function acknowledgeReports(score: LambdaFunction, stage: string) {
  acknowledge(
    score,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::tourniquet-evidence-<AWS::AccountId>-<AWS::Region>-${stage}/${DRILL_REPORTS_PREFIX}*]`,
    'Drill reports are written under drill-reports/ of the one evidence bucket (keys per run).',
  );
}
