import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arn, Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import {
  DRILL_ENV,
  DRILL_REPORTS_PREFIX,
  DRILL_REQUESTED,
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

function acknowledgeReports(score: LambdaFunction, stage: string) {
  acknowledge(
    score,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::tourniquet-evidence-<AWS::AccountId>-<AWS::Region>-${stage}/${DRILL_REPORTS_PREFIX}*]`,
    'Drill reports are written under drill-reports/ of the one evidence bucket (keys per run).',
  );
}
