import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { EventBus as EventBusRef, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { DETAIL_TYPE } from '../../../shared/contracts/events.ts';
import { REGULATORY_BUS_NAME } from '../../../shared/contracts/regulatory-workflow.ts';
import type { ResponderContext } from '../responder-context.ts';

/**
 * Forwards incident, classification, scope and facts events from the responder's bus to the
 * regulatory stack's own bus, which may live in another region and/or account (EventBridge
 * cross-region/cross-account bus target; the rule gets its own role). The ARN is built from
 * configuration, never imported, so the regulatory stack stays independent.
 */
export function regulatoryForwarding(ctx: ResponderContext): void {
  const stack = Stack.of(ctx.stack);
  const target = ctx.config.regulatoryEnv ?? {};
  const arn = Arn.format(
    {
      service: 'events',
      resource: 'event-bus',
      resourceName: REGULATORY_BUS_NAME,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      ...(target.region ? { region: target.region } : {}),
      ...(target.account ? { account: target.account } : {}),
    },
    stack,
  );
  const bus = EventBusRef.fromEventBusArn(ctx.stack, 'RegulatoryBusRef', arn);
  new Rule(ctx.stack, 'ForwardToRegulatory', {
    eventBus: ctx.bus,
    description: 'Incident facts to the regulatory stack (its own bus, possibly another region)',
    eventPattern: {
      detailType: [
        DETAIL_TYPE.incidentDeclared,
        DETAIL_TYPE.incidentClassified,
        DETAIL_TYPE.incidentUpdated,
        DETAIL_TYPE.scopeAssessed,
        DETAIL_TYPE.regulatoryFactsUpdated,
      ],
    },
    targets: [new EventBusTarget(bus, { deadLetterQueue: ctx.dlq })],
  });
}
