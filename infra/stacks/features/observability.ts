import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { ResponderContext } from '../responder-context.ts';

const NAMESPACE = 'Tourniquet';
const DRILL_NAMESPACE = 'Tourniquet/Drill';

/**
 * Incident metrics (EMF: MTTD, MTTC per classification, time-to-notify per regime; drills in their
 * own namespace) and the CloudWatch dashboard. The drill schedules are in drills.ts.
 */
export function addObservability(ctx: ResponderContext): void {
  const { stack, dlq } = ctx;
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
}
