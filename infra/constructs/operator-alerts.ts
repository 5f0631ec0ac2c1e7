import { Aspects, Duration, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';

export interface OperatorAlertsProps {
  /** Who is paged (`tourniquet:alarmEmail`, comma-separated); without it the topic has no subscriber. */
  emails?: string[];
}

/**
 * The operators' alert topic of one stack: KMS-encrypted (its own key, which CloudWatch may use to
 * publish), TLS only, email subscribers from configuration. Every CloudWatch alarm in the stack,
 * including alarms added later by feature modules, notifies it on ALARM and on OK (an Aspect), so
 * no alarm can be created without an action.
 */
export class OperatorAlerts extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OperatorAlertsProps = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'Encrypts the operator alert topic (CloudWatch alarms publish to it)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Tourniquet operator alerts',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? [])
      this.topic.addSubscription(new EmailSubscription(email));
    Aspects.of(Stack.of(this)).add(new RouteAlarmsTo(this.topic));
  }

  /** Alarm as soon as a dead-letter queue holds a message (something was not delivered). */
  alarmOnDeadLetters(queue: Queue, what: string): Alarm {
    return new Alarm(queue, 'DeadLettersAlarm', {
      alarmDescription: `${what}: events in the dead-letter queue need an operator (redrive after fixing the cause)`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

class RouteAlarmsTo implements IAspect {
  private readonly action: SnsAction;
  private readonly seen = new WeakSet<Alarm>();
  constructor(topic: Topic) {
    this.action = new SnsAction(topic);
  }
  visit(node: IConstruct): void {
    if (!(node instanceof Alarm) || this.seen.has(node)) return;
    this.seen.add(node);
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}
