import { S3Client } from '@aws-sdk/client-s3';
import type { MagentoDbCredentials } from '#adapters/magento-db.ts';
import { MySqlMagentoMediaListing } from '#adapters/media/mysql-magento-media-listing.ts';
import { S3ItemFileWriter, S3MagentoListingFile } from '#adapters/media/s3-magento-listing.ts';
import { parseEnv } from '#contracts/env.ts';
import { ListMagentoMediaEnvSchema, MEDIA_ENV } from '#contracts/media.ts';
import type { ListMagentoMediaDeps } from '#use-cases/media/list-magento-media.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';

/** Composition of list-magento-media: S3 listing files and item files, the read-only DB user. */
export function mediaListingDeps(rt: RuntimeConfig): ListMagentoMediaDeps {
  const env = parseEnv(ListMagentoMediaEnvSchema, rt.env);
  const s3 = new S3Client(sdkConfig(rt.aws, 's3'));
  const secret = env[MEDIA_ENV.listingDbSecretArn];
  return {
    itemBucket: env[MEDIA_ENV.itemFileBucket],
    writer: new S3ItemFileWriter(s3),
    listingFile: (location) => new S3MagentoListingFile(s3, location),
    ...(secret
      ? {
          database: new MySqlMagentoMediaListing(
            async () => JSON.parse(await rt.secret(secret)) as MagentoDbCredentials,
          ),
        }
      : {}),
  };
}
