import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { chainEntry, type TimelineEntry, type TimelineEntryDraft } from '#domain/timeline.ts';

/** Every item of one partition whose sort key starts with `prefix`, all pages, consistent. */
export async function queryPartition(
  doc: DynamoDBDocumentClient,
  table: string,
  pk: string,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': pk, ':s': prefix },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * A hash-chained timeline stored as `TL#<seq:8>` items of one partition. Appends use a
 * conditional put on the next sequence number (no transactions); a lost race re-reads the head,
 * so concurrent writers never fork or lose an entry. Shared by the incident and regulatory stores.
 */
export class DynamoTimeline {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(pk: string, incidentId: string, draft: TimelineEntryDraft): Promise<TimelineEntry> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const head = await this.head(pk);
      const entry = chainEntry(incidentId, head, draft);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk, sk: `TL#${String(entry.seq).padStart(8, '0')}`, entry },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
        return entry;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
    throw new Error('appendTimeline: too much contention on the timeline head');
  }

  async read(pk: string): Promise<TimelineEntry[]> {
    return (await queryPartition(this.doc, this.table, pk, 'TL#')).map(
      (i) => i.entry as TimelineEntry,
    );
  }

  private async head(pk: string) {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': pk, ':s': 'TL#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const entry = res.Items?.[0]?.entry as TimelineEntry | undefined;
    return entry ? { seq: entry.seq, hash: entry.hash } : undefined;
  }
}
