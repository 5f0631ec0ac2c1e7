import {
  DescribeTableCommand,
  DynamoDBClient,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeDBInstancesCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { ScanCommand as DocScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoPitrRestorer } from '#adapters/recovery/dynamo-restorers.ts';
import { RdsSnapshotRestorer } from '#adapters/recovery/magento-restorers.ts';

const ddb = mockClient(DynamoDBClient);
const rds = mockClient(RDSClient);
const doc = mockClient(DynamoDBDocumentClient);
beforeEach(() => {
  ddb.reset();
  doc.reset();
  rds.reset();
});

describe('DynamoDB point-in-time restore (aws-sdk-client-mock: dynalite has no PITR)', () => {
  it('restores into a new table and reads it back', async () => {
    ddb.on(RestoreTableToPointInTimeCommand).resolves({});
    ddb.on(DescribeTableCommand).resolves({
      Table: { TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] },
    });
    doc.on(DocScanCommand).resolves({ Items: [{ pk: 'CUST#1', email: 'x@example.com' }] });
    const r = new DynamoPitrRestorer(new DynamoDBClient({ region: 'eu-west-1' }));
    const h = await r.start({
      restoreId: 'rst-1',
      source: 'prod',
      target: 'prod-restore-1',
      restoreTime: '2026-03-01T09:00:00.000Z',
    });
    expect(h).toEqual({ kind: 'dynamodb', target: 'prod-restore-1', status: 'creating' });
    expect(ddb).toHaveReceivedCommandWith(RestoreTableToPointInTimeCommand, {
      SourceTableName: 'prod',
      TargetTableName: 'prod-restore-1',
      RestoreDateTime: new Date('2026-03-01T09:00:00.000Z'),
    });
    expect((await r.status('prod-restore-1')).status).toBe('available');
    const rows = [];
    for await (const x of r.read('prod-restore-1')) rows.push(x);
    expect(rows).toEqual([
      {
        location: 'dynamodb:prod-restore-1',
        key: { pk: 'CUST#1' },
        fields: { pk: 'CUST#1', email: 'x@example.com' },
      },
    ]);
  });
});

describe('RDS snapshot restore into an isolated security group (aws-sdk-client-mock)', () => {
  const settings = {
    isolatedSecurityGroupId: 'sg-iso',
    subnetGroupName: 'iso-subnets',
    database: 'magento',
    connect: async () => {
      throw new Error('not used');
    },
  };
  it('restores a new, private, tagged instance in the isolated security group', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    const r = new RdsSnapshotRestorer(new RDSClient({ region: 'eu-west-1' }), settings);
    await r.start({
      restoreId: 'rst-2',
      source: 'magento-prod',
      target: 'magentoprod-restore-2',
      snapshotId: 'rds:magento-prod-2026-03-01',
    });
    expect(rds).toHaveReceivedCommandWith(RestoreDBInstanceFromDBSnapshotCommand, {
      DBInstanceIdentifier: 'magentoprod-restore-2',
      DBSnapshotIdentifier: 'rds:magento-prod-2026-03-01',
      VpcSecurityGroupIds: ['sg-iso'],
      DBSubnetGroupName: 'iso-subnets',
      PubliclyAccessible: false,
    });
    await expect(r.start({ restoreId: 'x', source: 's', target: 't' })).rejects.toThrow(
      /snapshotId/,
    );
  });
  it('refuses an available instance that is not in the isolated security group', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceStatus: 'available', VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-prod' }] },
      ],
    });
    const r = new RdsSnapshotRestorer(new RDSClient({ region: 'eu-west-1' }), settings);
    expect(await r.status('t')).toMatchObject({
      status: 'failed',
      detail: 'restored instance is not isolated',
    });
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceStatus: 'available', VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-iso' }] },
      ],
    });
    expect((await r.status('t')).status).toBe('available');
  });
});
