import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { S3DataMapSink } from '#adapters/s3-scope-files.ts';
import { normaliseEmail } from '#domain/scope/assess.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import { contactVault } from '#runtime/notify-deps.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';
import { MAGENTO_CUSTOMER_DDL } from '../fixtures/magento-customer-ddl.ts';

/**
 * The export-data-map and record-email-event functions as deployed: built by their own composition
 * roots from the template's environment, on the local runtime (S3, dynalite, KMS stand-ins), the
 * exporter reading a real MariaDB database, SES events reaching record-email-event through the
 * default-bus rule.
 */

const db = `tourniquet_fnmap_${randomBytes(4).toString('hex')}`;
let admin: mysql.Connection;
let pool: mysql.Pool;
let rt: LocalRuntime;

beforeAll(async () => {
  admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`CREATE DATABASE ${db}`);
  pool = mysql.createPool({ host: '127.0.0.1', user: 'root', database: db, connectionLimit: 2 });
  for (const ddl of MAGENTO_CUSTOMER_DDL) await pool.query(ddl);
  const T0 = '2024-03-01 08:00:00';
  await pool.query(
    `INSERT INTO customer_entity (entity_id, website_id, email, firstname, default_billing, updated_at, created_at)
     VALUES (1,1,'Eva.Eins@Example.test','Eva',11,?,?),(2,1,'tom.two@example.test','Tom',21,?,?)`,
    [T0, T0, T0, T0],
  );
  await pool.query(
    `INSERT INTO customer_address_entity (entity_id, parent_id, country_id, region, updated_at)
     VALUES (11,1,'DE','',?),(21,2,'US','California',?)`,
    [T0, T0],
  );
  rt = await LocalRuntime.start({
    stage: 'test',
    secrets: {
      DataMapDbSecret: JSON.stringify({
        host: '127.0.0.1',
        port: 3306,
        username: 'root',
        password: '',
        dbname: db,
      }),
    },
  });
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  await pool?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin?.end();
});

const sinkFor = (rt: LocalRuntime) => {
  const env = rt.functionEnv('export-data-map');
  return { env, sink: new S3DataMapSink(rt.s3(), env.SCOPE_BUCKET!, env.DATA_MAP_PREFIX!) };
};

describe('export-data-map (function)', () => {
  it('full export: map in the scope bucket with HMACs only; contacts in the vault through KMS', async () => {
    const out = (await rt.invokeFunction('export-data-map', { mode: 'full' })) as {
      mode: string;
      customers: number;
      files: string[];
    };
    expect(out).toMatchObject({ mode: 'full', customers: 2 });
    const { env, sink } = sinkFor(rt);
    const manifest = await sink.readManifest();
    expect(manifest).toMatchObject({ customers: 2, guests: 0, watermark: '2024-03-01 08:00:00' });

    const s3 = rt.s3();
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: env.SCOPE_BUCKET!, Prefix: env.DATA_MAP_PREFIX! }),
    );
    let text = '';
    for (const o of listed.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: env.SCOPE_BUCKET!, Key: o.Key! }));
      text += await body.Body!.transformToString();
    }
    expect(text).toContain('"recipientId":"c:1"');
    // plaintext only: short patterns such as "eva" occur by chance in binary / base64 content
    expect(text).not.toMatch(/example\.test|eva\.eins|"Eva"/i);

    // the vault: ciphertext only in the table, data keys from the contact-vault KMS key
    const items = await rt
      .dynamo()
      .send(new ScanCommand({ TableName: rt.tableName() }))
      .then((r) => (r.Items ?? []).filter((i) => String(i.pk).startsWith('CONTACT#')));
    expect(items.map((i) => i.pk).sort()).toEqual(['CONTACT#c:1', 'CONTACT#c:2']);
    expect(JSON.stringify(items)).not.toMatch(/example\.test|eva\.eins|"Eva"/i);
    const keyArn = env.CONTACT_VAULT_KEY_ARN!;
    expect(
      rt.kms.calls.filter((c) => c.op === 'GenerateDataKey' && keyArn.endsWith(c.keyId)),
    ).toHaveLength(2);

    // released to the sending step, with its own environment
    const send = rt.runtimeConfig('send-customer-notices');
    const vault = contactVault(send, rt.tableName(), send.env.CONTACT_VAULT_KEY_ARN!);
    expect(await vault.get('c:1')).toEqual({
      email: 'eva.eins@example.test',
      firstname: 'Eva',
      locale: 'en',
      country: 'DE',
      region: null,
    });
  });

  it('incremental export reads only what changed after the watermark', async () => {
    await pool.query(
      `UPDATE customer_address_entity SET country_id='FR', updated_at='2024-03-05 09:00:00' WHERE entity_id=11`,
    );
    const out = (await rt.invokeFunction('export-data-map', { mode: 'incremental' })) as {
      since: string;
      customers: number;
    };
    expect(out).toMatchObject({ since: '2024-03-01 08:00:00', customers: 1 });
    const manifest = await sinkFor(rt).sink.readManifest();
    expect(manifest?.watermark).toBe('2024-03-05 09:00:00');
    expect(manifest?.files).toHaveLength(2);
  });

  it('refuses bad input with the field named, and says when the replica is unreachable', async () => {
    await expect(rt.invokeFunction('export-data-map', { mode: 'sideways' })).rejects.toThrow(
      /invalid input at mode/,
    );
    await expect(rt.invokeFunction('export-data-map', { batchSize: 3 })).rejects.toThrow(
      /invalid input at batchSize/,
    );
    const down = await LocalRuntime.start({
      stage: 'test',
      secrets: {
        DataMapDbSecret: JSON.stringify({
          host: '127.0.0.1',
          port: 9,
          username: 'nobody',
          password: 'pw-not-in-errors',
          dbname: 'x',
        }),
      },
    });
    try {
      const err = (await down
        .invokeFunction('export-data-map', { mode: 'full' })
        .then(() => new Error('expected a failure'))
        .catch((e: unknown) => e)) as Error;
      expect(err).toMatchObject({ name: 'StorefrontUnavailableError' });
      expect(String(err.message)).toMatch(/Magento replica unreachable \(ECONNREFUSED\)/);
      expect(String(err.message)).not.toContain('pw-not-in-errors');
    } finally {
      await down.stop();
    }
  }, 60_000);
});

describe('record-email-event (function, through the SES events rule on the default bus)', () => {
  const sesEvent = (detailType: string, detail: Record<string, unknown>) => ({
    Source: 'aws.ses',
    DetailType: detailType,
    EventBusName: 'default',
    Detail: JSON.stringify(detail),
  });

  it('delivery and permanent bounce update the send records and totals; a bounce suppresses the address', async () => {
    const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
    const at = rt.clock.now().toISOString();
    const incidentId = 'inc-ses-events';
    for (const [recipientId, messageId] of [
      ['c:1', 'msg-delivered'],
      ['c:2', 'msg-bounced'],
    ] as const) {
      await notify.claimSend({
        incidentId,
        recipientId,
        templateKey: 'gdpr-34-en-v1',
        status: 'sending',
        updatedAt: at,
      });
      await notify.transition(
        incidentId,
        recipientId,
        'gdpr-34-en-v1',
        ['sending'],
        { status: 'sent', messageId },
        at,
      );
      await notify.indexMessage(messageId, {
        incidentId,
        recipientId,
        templateKey: 'gdpr-34-en-v1',
      });
    }
    await notify.putTotals(
      incidentId,
      {
        recipients: 2,
        sent: 2,
        delivered: 0,
        bounced: 0,
        complained: 0,
        failed: 0,
        suppressed: 0,
        unconfirmed: 0,
        batches: 1,
        finishedAt: null,
      },
      at,
    );

    const client = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: rt.endpoints.eventbridge!,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await client.send(
      new PutEventsCommand({
        Entries: [
          sesEvent('Email Delivered', {
            eventType: 'Delivery',
            mail: { messageId: 'msg-delivered' },
          }),
          sesEvent('Email Bounced', {
            eventType: 'Bounce',
            mail: { messageId: 'msg-bounced' },
            bounce: {
              bounceType: 'Permanent',
              bouncedRecipients: [{ emailAddress: 'Tom.Two@example.test' }],
            },
          }),
          // unknown message id: nothing to update, no crash
          sesEvent('Email Delivered', {
            eventType: 'Delivery',
            mail: { messageId: 'msg-unknown' },
          }),
        ],
      }),
    );
    client.destroy();
    await rt.idle();

    expect((await notify.getSend(incidentId, 'c:1', 'gdpr-34-en-v1'))?.status).toBe('delivered');
    expect(await notify.getSend(incidentId, 'c:2', 'gdpr-34-en-v1')).toMatchObject({
      status: 'bounced',
      reason: 'bounce:Permanent',
    });
    expect(await notify.getTotals(incidentId)).toMatchObject({ delivered: 1, bounced: 1 });
    const hmac = emailHmacFn(
      await rt
        .runtimeConfig('record-email-event')
        .secret(rt.functionEnv('record-email-event').EMAIL_HMAC_SECRET_ARN!),
    );
    expect(await notify.isSuppressed(hmac(normaliseEmail('tom.two@example.test')))).toBe(true);
    expect(await notify.isSuppressed(hmac(normaliseEmail('eva.eins@example.test')))).toBe(false);

    // a replayed delivery event changes nothing (bounced stays bounced, totals unchanged)
    expect(
      await rt.invokeFunction('record-email-event', {
        source: 'aws.ses',
        'detail-type': 'Email Delivered',
        detail: { eventType: 'Delivery', mail: { messageId: 'msg-bounced' } },
      }),
    ).toEqual({ recorded: false, status: 'delivered' });
    expect(await notify.getTotals(incidentId)).toMatchObject({ delivered: 1, bounced: 1 });
  }, 60_000);

  it('rejects an event that is not an SES event with a clear error', async () => {
    await expect(
      rt.invokeFunction('record-email-event', { source: 'aws.s3', 'detail-type': 'x', detail: {} }),
    ).rejects.toThrow(/invalid input at source/);
  });
});
