import { Aws, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { accessLogBucket } from '../constructs/access-log-bucket.ts';

/** Data that must outlive any redeploy: incident table, evidence (Object Lock), quarantine. */
/** Deterministic resource names, so other stacks (and nag acknowledgements) reference them by name. */
export const statefulNames = (stage: string) => ({
  table: `tourniquet-incidents-${stage}`,
  quarantineBucket: `tourniquet-quarantine-${Aws.ACCOUNT_ID}-${Aws.REGION}-${stage}`,
  evidenceBucket: `tourniquet-evidence-${Aws.ACCOUNT_ID}-${Aws.REGION}-${stage}`,
});

export class StatefulStack extends Stack {
  readonly key: Key;
  readonly table: TableV2;
  readonly evidenceBucket: Bucket;
  readonly quarantineBucket: Bucket;

  constructor(scope: Construct, id: string, props: StackProps & { stage: string }) {
    super(scope, id, props);
    const names = statefulNames(props.stage);
    this.key = new Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: 'Tourniquet incident data, evidence and quarantine',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new TableV2(this, 'IncidentTable', {
      tableName: names.table,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [
        {
          indexName: 'gsi1',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
      ],
    });
    const accessLogs = accessLogBucket(this, 'AccessLogs', { versioned: true });
    this.evidenceBucket = new Bucket(this, 'EvidenceBucket', {
      bucketName: names.evidenceBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(365 * 6)),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.quarantineBucket = new Bucket(this, 'QuarantineBucket', {
      bucketName: names.quarantineBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'quarantine/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
