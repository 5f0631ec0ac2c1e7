import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';

/** A dynalite server with the incident table (same key schema as the stateful stack). */
export async function startStore(table = 'tourniquet-incidents-test') {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 10,
  });
  const S = 'S' as const;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: S },
        { AttributeName: 'sk', AttributeType: S },
        { AttributeName: 'gsi1pk', AttributeType: S },
        { AttributeName: 'gsi1sk', AttributeType: S },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const doc = DynamoDBDocumentClient.from(client);
  return {
    endpoint,
    doc,
    store: new DynamoIncidentStore(doc, table),
    stop: async () => {
      client.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
