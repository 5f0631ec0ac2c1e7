import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BusEvent, EventPublisher } from '#ports/event-publisher.ts';
import { RetryableError } from '#runtime/errors.ts';

/** PutEvents in batches of 10; a partially failed batch is a retryable error (never silent). */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: BusEvent[]) {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const res = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.busName,
            Source: e.source,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if ((res.FailedEntryCount ?? 0) > 0) {
        const codes = (res.Entries ?? []).map((x) => x.ErrorCode).filter(Boolean);
        throw new RetryableError(
          `PutEvents: ${res.FailedEntryCount} entries failed (${codes.join(',')})`,
        );
      }
    }
  }
}
