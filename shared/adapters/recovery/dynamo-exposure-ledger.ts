import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ExposureLedger } from '#ports/recovery.ts';

/** Exposed-record fingerprints in the incident table: pk EXPOSED#<incident>, sk FP#<hmac>. */
export class DynamoExposureLedger implements ExposureLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(incidentId: string, fingerprints: string[]): Promise<void> {
    const unique = [...new Set(fingerprints)];
    for (let i = 0; i < unique.length; i += 25) {
      let pending: any = {
        [this.table]: unique.slice(i, i + 25).map((fp) => ({
          PutRequest: { Item: { pk: `EXPOSED#${incidentId}`, sk: `FP#${fp}` } },
        })),
      };
      for (let n = 0; pending && Object.keys(pending).length; n++) {
        if (n > 8) throw new Error('exposure ledger: unprocessed items');
        pending = (await this.doc.send(new BatchWriteCommand({ RequestItems: pending })))
          .UnprocessedItems;
      }
    }
  }

  async list(incidentId: string): Promise<string[]> {
    const out: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': `EXPOSED#${incidentId}` },
          ExclusiveStartKey: start,
        }),
      );
      for (const it of r.Items ?? []) out.push(String(it.sk).slice(3));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
