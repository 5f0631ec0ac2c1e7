import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client, SendBulkEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { SES_SIMULATOR } from '#contracts/drills.ts';
import { TEMPLATE_CATALOG } from '#domain/notify/catalog.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { contactVault } from '#runtime/notify-deps.ts';
import { approveTemplate } from '#use-cases/notify/notify-customers.ts';
import { buildDeps, makeHandler } from '../../../functions/send-customer-notices.ts';

/**
 * send-customer-notices in drill mode, with aws-sdk-client-mock: the real function (drill
 * selection, claims, suppression, vault decryption, SES adapter) against mocked DynamoDB, KMS and
 * SES. A drill incident's batch reaches only the drill sink; a production incident's batch
 * reaches its customers exactly as before.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const ses = mockClient(SESv2Client);

/** The table, as items keyed by pk/sk (conditional puts honoured; updates are not needed here). */
const items = new Map<string, Record<string, unknown>>();
const k = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}|${String(key.sk)}`;
const DATA_KEY = Buffer.alloc(32, 7);

const TABLE = 'tourniquet-incidents-test';
const SINK = JSON.stringify({
  recipients: [SES_SIMULATOR.success, SES_SIMULATOR.bounce],
  configurationSet: 'tourniquet-drill-sink-test',
});
const baseEnv = {
  INCIDENT_TABLE: TABLE,
  TOURNIQUET_STAGE: 'test',
  SCOPE_BUCKET: 'scope-bucket',
  EMAIL_HMAC_SECRET_ARN: 'arn:secret:EmailHmacKey',
  CONTACT_VAULT_KEY_ARN: 'arn:aws:kms:eu-central-1:1:key/vault',
  NOTICE_SENDER: 'security-notices@acme-pay.example',
  SES_CONFIGURATION_SET: 'tourniquet-notices-prod',
};
const rtWith = (env: Record<string, string>): RuntimeConfig => ({
  env,
  aws: { region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
  secret: async () => 'email-hmac-key-for-tests-0123456789',
  clock: { now: () => new Date('2026-11-29T10:00:00Z') },
});
const ctx = { functionName: 'send-customer-notices', awsRequestId: 'req-1' } as Context;

const CUSTOMERS = Array.from({ length: 5 }, (_, i) => ({
  id: `c:${i + 1}`,
  email: `person${i + 1}@example.test`,
  firstname: `Name${i + 1}`,
}));

async function seed(incidentId: string, drill: boolean) {
  const rt = rtWith({ ...baseEnv, DRILL_NOTICE_SINK: SINK });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
  const store = new DynamoIncidentStore(doc, TABLE);
  await store.createIncident({
    incidentId,
    status: 'open',
    classification: 'pii-breach',
    severity: 'P1',
    severityRuleVersion: 't',
    playbook: 'pii-breach',
    correlationKeys: [],
    alertIds: drill ? [`drill:magento-customer-export-leak.up.20261129t100000z:a`] : ['a-1'],
    openedAt: '2026-11-29T09:00:00Z',
    updatedAt: '2026-11-29T09:00:00Z',
    drill,
  });
  const notify = new DynamoNotifyStore(doc, TABLE);
  const clock = rt.clock;
  for (const t of TEMPLATE_CATALOG)
    await approveTemplate(
      { notify, clock },
      { templateId: t.id, version: t.version, approver: 'compliance-officer' },
    );
  const vault = contactVault(rt, TABLE, baseEnv.CONTACT_VAULT_KEY_ARN);
  for (const c of CUSTOMERS)
    await vault.put(c.id, {
      email: c.email,
      firstname: c.firstname,
      locale: 'en',
      country: 'DE',
      region: null,
    });
}

const sent = () => ses.commandCalls(SendBulkEmailCommand).map((c) => c.args[0].input);
const addresses = () =>
  sent().flatMap((i) =>
    (i.BulkEmailEntries ?? []).flatMap((e) => e.Destination?.ToAddresses ?? []),
  );

beforeEach(() => {
  items.clear();
  for (const m of [ddb, kms, ses]) m.reset();
  ddb.on(GetCommand).callsFake((i) => ({ Item: items.get(k(i.Key)) }));
  ddb.on(PutCommand).callsFake((i) => {
    const key = k(i.Item);
    if (i.ConditionExpression?.includes('attribute_not_exists') && items.has(key))
      throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
    items.set(key, i.Item);
    return {};
  });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).callsFake((i) => {
    items.delete(k(i.Key));
    return {};
  });
  ddb.on(QueryCommand).callsFake((i) => {
    const pk = String(i.ExpressionAttributeValues?.[':pk']);
    const prefix = String(i.ExpressionAttributeValues?.[':sk'] ?? '');
    return {
      Items: [...items.values()].filter((it) => it.pk === pk && String(it.sk).startsWith(prefix)),
    };
  });
  kms.on(GenerateDataKeyCommand).resolves({
    Plaintext: new Uint8Array(DATA_KEY),
    CiphertextBlob: new Uint8Array(Buffer.from('wrapped')),
  });
  kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(DATA_KEY) });
  ses.on(SendBulkEmailCommand).callsFake((i) => ({
    BulkEmailEntryResults: (i.BulkEmailEntries ?? []).map((_: unknown, n: number) => ({
      Status: 'SUCCESS',
      MessageId: `m-${n}`,
    })),
  }));
});

const batch = (incidentId: string) => ({
  incidentId,
  batch: { batchNo: 0, recipients: CUSTOMERS.map((c) => c.id) },
});

describe('send-customer-notices in drill mode', () => {
  it('a drill incident: every notice goes to the drill sink, none to a customer, no names', async () => {
    await seed('inc-drill', true);
    const handler = makeHandler(buildDeps(rtWith({ ...baseEnv, DRILL_NOTICE_SINK: SINK })));
    const out = (await handler(batch('inc-drill'), ctx)) as { sent: number };
    expect(out.sent).toBe(5);
    const to = addresses();
    expect(to).toHaveLength(5);
    expect(new Set(to)).toEqual(new Set([SES_SIMULATOR.success, SES_SIMULATOR.bounce]));
    expect(to.some((a) => a.endsWith('@example.test'))).toBe(false);
    const [call] = sent();
    expect(call?.ConfigurationSetName).toBe('tourniquet-drill-sink-test');
    expect(call?.DefaultEmailTags).toContainEqual({ Name: 'drill', Value: 'true' });
    const data = JSON.stringify(call?.BulkEmailEntries);
    for (const c of CUSTOMERS) {
      expect(data).not.toContain(c.firstname);
      expect(data).not.toContain(c.email);
    }
  });

  it('a drill incident without a drill sink fails before any send', async () => {
    await seed('inc-drill-2', true);
    const handler = makeHandler(buildDeps(rtWith(baseEnv)));
    await expect(handler(batch('inc-drill-2'), ctx)).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: /no drill sandbox is configured/,
    });
    expect(sent()).toHaveLength(0);
  });

  it('a production incident is unchanged: its customers, the production configuration set', async () => {
    await seed('inc-prod', false);
    const handler = makeHandler(buildDeps(rtWith({ ...baseEnv, DRILL_NOTICE_SINK: SINK })));
    const out = (await handler(batch('inc-prod'), ctx)) as { sent: number };
    expect(out.sent).toBe(5);
    expect(addresses().sort()).toEqual(CUSTOMERS.map((c) => c.email).sort());
    const [call] = sent();
    expect(call?.ConfigurationSetName).toBe('tourniquet-notices-prod');
    expect(call?.DefaultEmailTags?.some((t) => t.Name === 'drill')).toBe(false);
    expect(JSON.stringify(call?.BulkEmailEntries)).toContain('Name1');
  });

  it('refuses a malformed drill sink at start-up', () => {
    expect(() =>
      buildDeps(rtWith({ ...baseEnv, DRILL_NOTICE_SINK: '{"recipients":["not an address"]}' })),
    ).toThrow(/DRILL_NOTICE_SINK\.recipients/);
  });
});
