import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The regulator workflow's own stack: own key, own table (facts, scope summary, contacts and
 * templates are copied in when an incident is declared), deployable to another region or
 * account so notification keeps running when the storefront and the responder are down.
 */
export class RegulatoryStack extends Stack {
  readonly key: Key;
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.key = new Key(this, 'RegulatoryKey', {
      enableKeyRotation: true,
      description: 'Tourniquet regulatory workflow data',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new TableV2(this, 'RegulatoryTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
