import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { DRILL_REQUESTED, DrillConfigSchema } from '../../../shared/contracts/drills.ts';
import { BUS_NAME, EVENT_SOURCE } from '../../../shared/contracts/events.ts';
import type { ResponderContext } from '../responder-context.ts';

const NAMESPACE = 'Tourniquet';
const DRILL_NAMESPACE = 'Tourniquet/Drill';
export const DRILL_CONFIG_FILE = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'config',
  'drills.json',
);

/**
 * Incident metrics (EMF: MTTD, MTTC per classification, time-to-notify per regime; drills in their
 * own namespace), the CloudWatch dashboard, and the drill schedules (EventBridge Scheduler).
 */
export function addObservability(ctx: ResponderContext): void {
  const { stack, bus, dlq } = ctx;
  const metrics = ctx.fn('record-incident-metrics');
  new Rule(stack, 'IncidentMetricsOnExecutionEnd', {
    description: 'Emit MTTD / MTTC / time-to-notify when a respond or recover execution ends',
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT'] },
    },
    targets: [new LambdaTarget(metrics.fn, { deadLetterQueue: dlq, retryAttempts: 2 })],
  });

  const search = (ns: string, dim: string, metric: string, label: string) =>
    new MathExpression({
      expression: `SEARCH('{${ns},${dim}} MetricName="${metric}"', 'Average', 3600)`,
      label,
      period: Duration.hours(1),
    });
  const dashboard = new Dashboard(stack, 'IncidentDashboard', {
    dashboardName: `tourniquet-${ctx.config.stage}`,
  });
  for (const [ns, title] of [
    [NAMESPACE, 'Production'],
    [DRILL_NAMESPACE, 'Drills (never counted in production)'],
  ] as const) {
    dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new GraphWidget({
        title: `${title}: MTTD by classification (s)`,
        left: [search(ns, 'Classification', 'MTTD', 'MTTD')],
        width: 8,
      }),
      new GraphWidget({
        title: `${title}: MTTC by classification (s)`,
        left: [search(ns, 'Classification', 'MTTC', 'MTTC')],
        width: 8,
      }),
      new GraphWidget({
        title: `${title}: time to notify by regime (s)`,
        left: [search(ns, 'Regime', 'TimeToNotify', 'TimeToNotify')],
        width: 8,
      }),
    );
  }

  // Scheduled drills: each schedule puts a DrillRequested event (drill: true, sandbox endpoints).
  const cfg = DrillConfigSchema.parse(JSON.parse(readFileSync(DRILL_CONFIG_FILE, 'utf8')));
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
        input: JSON.stringify({
          scenario: s.scenario,
          storefront: s.storefront,
          drill: true,
          sandbox: cfg.sandbox,
          bus: BUS_NAME,
        }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: dlq.queueArn },
      },
    });
  });
}
