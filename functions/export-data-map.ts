import type { Context } from 'aws-lambda';
import { createPool } from 'mysql2/promise';
import { z } from 'zod';
import { magentoUnreachable } from '#adapters/magento-db.ts';
import { MysqlMagentoMapSource } from '#adapters/mysql-magento-map-source.ts';
import { S3DataMapSink } from '#adapters/s3-scope-files.ts';
import { parseEnv } from '#contracts/env.ts';
import { ExportMapEnvSchema, NOTIFY_ENV } from '#contracts/notify.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { contactVault, hmacFromSecret, s3Client } from '#runtime/notify-deps.ts';
import { exportDataMap } from '#use-cases/scope/export-data-map.ts';

/** Scheduled: the responder's data map from the Magento read replica (least-privilege user). */

const InputSchema = z.object({
  mode: z.enum(['full', 'incremental']).default('incremental'),
  batchSize: z.int().min(10).max(10_000).optional(),
});

const DbSecretSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().default(3306),
  username: z.string().min(1),
  password: z.string(),
  dbname: z.string().min(1),
});

export function buildDeps(rt: RuntimeConfig) {
  const env = parseEnv(ExportMapEnvSchema, rt.env);
  const s3 = s3Client(rt);
  return {
    env,
    rt,
    sink: new S3DataMapSink(s3, env[NOTIFY_ENV.scopeBucket], env[NOTIFY_ENV.mapPrefix]),
    contacts: contactVault(rt, env[NOTIFY_ENV.table], env[NOTIFY_ENV.contactKeyArn]),
    emailHmac: hmacFromSecret(rt, env[NOTIFY_ENV.emailHmacSecretArn]),
  };
}

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('export-data-map', InputSchema, async (input) => {
    const db = DbSecretSchema.parse(
      JSON.parse(await deps.rt.secret(deps.env[NOTIFY_ENV.magentoDbSecretArn])),
    );
    const pool = createPool({
      host: db.host,
      port: db.port,
      user: db.username,
      password: db.password,
      database: db.dbname,
      connectionLimit: 2,
      connectTimeout: 5000,
    });
    try {
      return await exportDataMap(
        {
          source: new MysqlMagentoMapSource(pool),
          sink: deps.sink,
          contacts: deps.contacts,
          emailHmac: await deps.emailHmac(),
          hmacKeyId: 'email-hmac-v1',
          now: () => deps.rt.clock.now().toISOString(),
        },
        {
          mode: input.mode,
          ...(input.batchSize ? { batchSize: input.batchSize } : {}),
          storeContacts: deps.env[NOTIFY_ENV.storeContacts] === 'true',
        },
      );
    } catch (err) {
      throw magentoUnreachable(err, 'Magento replica') ?? err;
    } finally {
      await pool.end().catch(() => undefined);
    }
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
