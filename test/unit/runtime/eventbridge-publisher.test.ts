import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';

const eb = mockClient(EventBridgeClient);

describe('EventBridgePublisher', () => {
  beforeEach(() => eb.reset());

  it('sends events in batches of at most 10 to the named bus', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const events = Array.from({ length: 23 }, (_, i) => ({
      source: 's',
      detailType: 'Alert',
      detail: { i },
    }));
    await new EventBridgePublisher(
      new EventBridgeClient({ region: 'us-east-1' }),
      'tourniquet',
    ).publish(events);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(eb).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: expect.arrayContaining([
        expect.objectContaining({
          EventBusName: 'tourniquet',
          DetailType: 'Alert',
          Detail: '{"i":0}',
        }),
      ]),
    });
  });

  it('treats a partially failed batch as retryable, never as success', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException' }],
    });
    await expect(
      new EventBridgePublisher(
        new EventBridgeClient({ region: 'us-east-1' }),
        'tourniquet',
      ).publish([{ source: 's', detailType: 'Alert', detail: {} }]),
    ).rejects.toMatchObject({ name: 'RetryableError' });
  });
});
