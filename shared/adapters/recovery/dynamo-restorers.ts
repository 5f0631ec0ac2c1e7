import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RestoredRecord } from '#domain/recovery/scan.ts';
import type { IsolatedRestorer, RestoreHandle, RestoreRequest } from '#ports/recovery.ts';

const STATUS: Record<string, RestoreHandle['status']> = {
  ACTIVE: 'available',
  CREATING: 'creating',
  UPDATING: 'creating',
};

/** DynamoDB point-in-time recovery into a NEW table (the production table is never written). */
export class DynamoPitrRestorer implements IsolatedRestorer {
  readonly kind = 'dynamodb' as const;
  protected readonly doc: DynamoDBDocumentClient;
  constructor(protected readonly ddb: DynamoDBClient) {
    this.doc = DynamoDBDocumentClient.from(ddb);
  }

  async start(req: RestoreRequest): Promise<RestoreHandle> {
    await this.ddb.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: req.source,
        TargetTableName: req.target,
        ...(req.restoreTime
          ? { RestoreDateTime: new Date(req.restoreTime) }
          : { UseLatestRestorableTime: true }),
        BillingModeOverride: 'PAY_PER_REQUEST',
      }),
    );
    return { kind: this.kind, target: req.target, status: 'creating' };
  }

  async status(target: string): Promise<RestoreHandle> {
    const t = await this.ddb.send(new DescribeTableCommand({ TableName: target }));
    const s = t.Table?.TableStatus ?? 'UNKNOWN';
    return { kind: this.kind, target, status: STATUS[s] ?? 'failed', detail: s };
  }

  async *read(target: string): AsyncIterable<RestoredRecord> {
    const t = await this.ddb.send(new DescribeTableCommand({ TableName: target }));
    const keys = (t.Table?.KeySchema ?? []).map((k) => k.AttributeName!);
    let start: Record<string, any> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: target, ExclusiveStartKey: start }),
      );
      for (const fields of page.Items ?? []) {
        yield {
          location: `dynamodb:${target}`,
          key: Object.fromEntries(keys.map((k) => [k, fields[k] as string | number])),
          fields,
        };
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

/**
 * Where point-in-time recovery is not available (the local runtime's dynalite), a consistent copy
 * of the table into a new table stands in for the restore; status and read are the same.
 */
export class DynamoTableCopyRestorer extends DynamoPitrRestorer {
  override async start(req: RestoreRequest): Promise<RestoreHandle> {
    const src = await this.ddb.send(new DescribeTableCommand({ TableName: req.source }));
    const t = src.Table!;
    await this.ddb.send(
      new CreateTableCommand({
        TableName: req.target,
        KeySchema: t.KeySchema,
        AttributeDefinitions: t.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    let start: Record<string, any> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: req.source, ExclusiveStartKey: start }),
      );
      const items = page.Items ?? [];
      for (let i = 0; i < items.length; i += 25) {
        let pending: any = {
          [req.target]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        };
        for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
          if (attempt > 8)
            throw new Error(`table copy: unprocessed items after ${attempt} attempts`);
          const r = await this.ddb.send(new BatchWriteCommand({ RequestItems: pending }));
          pending = r.UnprocessedItems;
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return this.status(req.target);
  }
}
