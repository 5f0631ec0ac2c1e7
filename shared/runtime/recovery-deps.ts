import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createConnection } from 'mysql2/promise';
import type { MagentoDbCredentials } from '#adapters/magento-db.ts';
import { DynamoExposureLedger } from '#adapters/recovery/dynamo-exposure-ledger.ts';
import {
  DynamoPitrRestorer,
  DynamoTableCopyRestorer,
} from '#adapters/recovery/dynamo-restorers.ts';
import { DatabaseCopyRestorer, RdsSnapshotRestorer } from '#adapters/recovery/magento-restorers.ts';
import { S3MediaVerdicts } from '#adapters/recovery/s3-media-verdicts.ts';
import { parseEnv } from '#contracts/env.ts';
import { RECOVERY_ENV, RecoveryEnvSchema } from '#contracts/recovery.ts';
import { parseSyntheticRegistry } from '#contracts/synthetic-registry.ts';
import type { IsolatedRestorer, RestoreKind } from '#ports/recovery.ts';
import type { ScanDeps } from '#use-cases/recovery/gate.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';
import { storeDeps } from './store-deps.ts';

/** Composition root of the recovery-gate functions: restorers by mode, ledger, registry. */
export function recoveryDeps(rt: RuntimeConfig): Omit<ScanDeps, 'fingerprintKey'> & {
  fingerprintKey: () => Promise<string>;
} {
  const env = parseEnv(RecoveryEnvSchema, rt.env);
  const base = storeDeps(rt);
  const ddb = new DynamoDBClient(sdkConfig(rt.aws, 'dynamodb'));
  const restorers: Partial<Record<RestoreKind, IsolatedRestorer>> = {
    dynamodb:
      env[RECOVERY_ENV.dynamoMode] === 'table-copy'
        ? new DynamoTableCopyRestorer(ddb)
        : new DynamoPitrRestorer(ddb),
  };
  const dbSecret = env[RECOVERY_ENV.magentoDbSecretArn];
  const creds = async () => JSON.parse(await rt.secret(dbSecret!)) as MagentoDbCredentials;
  const tables = env[RECOVERY_ENV.tables];
  if (env[RECOVERY_ENV.magentoMode] === 'database-copy' && dbSecret) {
    restorers['magento-db'] = new DatabaseCopyRestorer(async () => {
      const c = await creds();
      return createConnection({ host: c.host, port: c.port, user: c.user, password: c.password });
    }, tables);
  }
  if (env[RECOVERY_ENV.magentoMode] === 'rds-snapshot' && dbSecret) {
    restorers['magento-db'] = new RdsSnapshotRestorer(new RDSClient({ region: rt.aws.region }), {
      isolatedSecurityGroupId: env[RECOVERY_ENV.rdsIsolatedSecurityGroup] ?? '',
      subnetGroupName: env[RECOVERY_ENV.rdsSubnetGroup] ?? '',
      ...(env[RECOVERY_ENV.rdsInstanceClass]
        ? { instanceClass: env[RECOVERY_ENV.rdsInstanceClass] }
        : {}),
      database: env[RECOVERY_ENV.magentoDatabase],
      connect: async (host, port) => {
        const c = await creds();
        return createConnection({ host, port, user: c.user, password: c.password, ssl: {} });
      },
    });
  }
  const fpSecret = env[RECOVERY_ENV.fingerprintKeySecretArn];
  return {
    ...base,
    restorers,
    ledger: new DynamoExposureLedger(DynamoDBDocumentClient.from(ddb), env.INCIDENT_TABLE),
    registry: parseSyntheticRegistry(JSON.parse(env[RECOVERY_ENV.registry])),
    fingerprintKey: () => rt.secret(fpSecret),
    fingerprintRules: env[RECOVERY_ENV.fingerprintRules],
    tables,
    mediaRules: env[RECOVERY_ENV.mediaRules],
    ...(env[RECOVERY_ENV.mediaBucket] ? { mediaBucket: env[RECOVERY_ENV.mediaBucket] } : {}),
    mediaVerdicts: new S3MediaVerdicts(new S3Client(sdkConfig(rt.aws, 's3'))),
  };
}
