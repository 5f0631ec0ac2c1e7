import { S3Client } from '@aws-sdk/client-s3';
import type { MagentoDbCredentials } from '#adapters/magento-db.ts';
import { HttpKycVendor } from '#adapters/media/http-kyc-vendor.ts';
import { MySqlCatalogMedia } from '#adapters/media/mysql-catalog-media.ts';
import { S3MediaObjects } from '#adapters/media/s3-media-objects.ts';
import { parseEnv } from '#contracts/env.ts';
import { MEDIA_ENV, MediaLeversEnvSchema } from '#contracts/media.ts';
import type { MediaLeverPorts } from '#ports/media-containment.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';

/** Ports of the deepfake playbook's levers; absent configuration leaves a lever unconfigured. */
export function buildMediaLeverPorts(rt: RuntimeConfig): { media?: MediaLeverPorts } {
  const env = parseEnv(MediaLeversEnvSchema, rt.env);
  const bucket = env.QUARANTINE_BUCKET;
  if (!bucket) return {};
  const db = env.MAGENTO_DB_SECRET_ARN;
  const kycBase = env[MEDIA_ENV.kycApiBase];
  const kycKey = env[MEDIA_ENV.kycApiKeySecretArn];
  return {
    media: {
      objects: new S3MediaObjects(new S3Client(sdkConfig(rt.aws, 's3'))),
      quarantineBucket: bucket,
      catalogPrefix: env[MEDIA_ENV.catalogPrefix],
      ...(db
        ? {
            catalog: new MySqlCatalogMedia(
              async () => JSON.parse(await rt.secret(db)) as MagentoDbCredentials,
            ),
          }
        : {}),
      ...(kycBase && kycKey ? { kyc: new HttpKycVendor(kycBase, () => rt.secret(kycKey)) } : {}),
    },
  };
}
