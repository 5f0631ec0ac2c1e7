import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionName, type RegulatoryCase } from '#domain/regulatory-workflow/case.ts';
import type { ObligationRecord } from '#ports/regulatory.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { makeHandler as intakeHandler } from '../../../functions/regulatory-intake.ts';
import { buildDeps, makeHandler } from '../../../functions/regulatory-send.ts';

/**
 * regulatory-send with aws-sdk-client-mock: a drill case never addresses the authority (dry run
 * by default: nothing is sent; or the configured drill mailbox only), the rendered notice is
 * filed either way; a production case is sent to the authority exactly as before. Intake marks a
 * case as a drill as soon as any event says so.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const scheduler = mockClient(SchedulerClient);
const sfn = mockClient(SFNClient);

const items = new Map<string, Record<string, unknown>>();
const k = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}|${String(key.sk)}`;
const updates: Array<Record<string, unknown>> = [];

const AUTHORITY = 'breach@datenschutz-berlin.example';
const CONTACTS = {
  sender: 'regulatory@acme-pay.example',
  complianceOfficer: 'compliance@acme-pay.example',
  escalation: 'ciso-office@acme-pay.example',
  contactPoint: 'Data Protection Officer, dpo@acme-pay.example',
  authorities: { 'GDPR-33/supervisory-authority': AUTHORITY, '*': 'regulators@acme-pay.example' },
};
const ENTITY = {
  name: 'Acme Pay Europe GmbH',
  kinds: ['e-money-institution'],
  country: 'DE',
  timezone: 'Europe/Berlin',
  competentAuthority: 'BaFin',
  gdpr: { mainEstablishment: 'DE', leadAuthority: 'BlnBDI' },
};
const HASH = 'f'.repeat(16);
const KEY = 'GDPR-33#notification#supervisory-authority';
const NOW = new Date('2026-11-29T12:00:00Z');

const rtWith = (env: Record<string, string>): RuntimeConfig => ({
  env: {
    REGULATORY_TABLE: 'tourniquet-regulatory-test',
    REGULATORY_EVIDENCE_BUCKET: 'reg-evidence',
    REGULATORY_REMIND_FUNCTION_ARN: 'arn:aws:lambda:eu-central-1:1:function:remind',
    REGULATORY_SCHEDULER_ROLE_ARN: 'arn:aws:iam::1:role/scheduler',
    ...env,
  },
  aws: { region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
  secret: async () => {
    throw new Error('no secrets');
  },
  clock: { now: () => NOW },
});
const ctx = { functionName: 'regulatory-send', awsRequestId: 'req-1' } as Context;

function seedCase(incidentId: string, drill: boolean) {
  const c: RegulatoryCase = {
    incidentId,
    entity: ENTITY as RegulatoryCase['entity'],
    contacts: CONTACTS,
    classification: 'pii-breach',
    severity: 'P1',
    drill,
    declaredAt: '2026-11-29T09:00:00.000Z',
    patch: {},
    narrative: {},
    templatesVersion: 't1',
    factsHash: HASH,
    version: 1,
  };
  items.set(`REG#${incidentId}|CASE`, { pk: `REG#${incidentId}`, sk: 'CASE', case: c, version: 1 });
  const rec: ObligationRecord = {
    incidentId,
    key: KEY,
    regime: 'GDPR-33',
    report: 'notification',
    recipient: 'supervisory-authority',
    recipientName: 'Berliner Beauftragte für Datenschutz',
    due: '2026-12-02T09:00:00.000Z',
    dueRule: '72h',
    basis: 'GDPR Art. 33(1)',
    clockStart: '2026-11-29T09:00:00.000Z',
    status: 'awaiting-approval',
    factsHash: HASH,
    claim: executionName(incidentId, HASH),
    draft: {
      subject: '[GDPR-33 notification] Acme Pay Europe GmbH',
      text: 'Notification of a personal data breach (Art. 33 GDPR) ...',
      sha256: 'a'.repeat(64),
      missing: [],
      templateId: 'gdpr-33',
      templatesVersion: 't1',
      renderedAt: '2026-11-29T11:00:00.000Z',
    },
    updatedAt: '2026-11-29T11:00:00.000Z',
  };
  items.set(`REG#${incidentId}|OBL#${KEY}`, { pk: `REG#${incidentId}`, sk: `OBL#${KEY}`, ...rec });
}

const sendInput = (incidentId: string) => ({
  incidentId,
  factsHash: HASH,
  key: KEY,
  approval: { approved: true, approver: 'Compliance Officer', reason: 'checked' },
});
const mails = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
const timeline = () =>
  [...items.values()]
    .filter((i) => String(i.sk).startsWith('TL#'))
    .map((i) => i.entry as { type: string; summary: string; data: Record<string, unknown> });
const sentPatch = () =>
  updates.find((u) => u[':a0'] === 'sent' || Object.values(u).includes('sent'));

beforeEach(() => {
  items.clear();
  updates.length = 0;
  for (const m of [ddb, s3, ses, scheduler, sfn]) m.reset();
  ddb.on(GetCommand).callsFake((i) => ({ Item: items.get(k(i.Key)) }));
  ddb.on(PutCommand).callsFake((i) => {
    const key = k(i.Item);
    if (i.ConditionExpression?.includes('attribute_not_exists') && items.has(key))
      throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
    items.set(key, i.Item);
    return {};
  });
  ddb.on(UpdateCommand).callsFake((i) => {
    updates.push(i.ExpressionAttributeValues ?? {});
    return {};
  });
  ddb.on(QueryCommand).callsFake((i) => {
    const pk = String(i.ExpressionAttributeValues?.[':p']);
    const prefix = String(i.ExpressionAttributeValues?.[':s'] ?? '');
    const hits = [...items.values()]
      .filter((it) => it.pk === pk && String(it.sk).startsWith(prefix))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    return { Items: i.ScanIndexForward === false ? hits.reverse().slice(0, i.Limit) : hits };
  });
  s3.on(PutObjectCommand).resolves({});
  scheduler.on(DeleteScheduleCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('regulatory-send: drill cases never reach an authority', () => {
  it('dry run (the default): nothing is sent, the rendered notice is filed and recorded', async () => {
    seedCase('inc-drill', true);
    const out = (await makeHandler(buildDeps(rtWith({})))(sendInput('inc-drill'), ctx)) as {
      delivery: string;
    };
    expect(out.delivery).toBe('dry-run');
    expect(mails()).toEqual([]);
    const [put] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(put?.Body?.toString()).toContain('Notification of a personal data breach');
    expect(put?.Tagging).toContain('tourniquet%3Adrill=true');
    const patch = sentPatch();
    expect(Object.values(patch ?? {})).toEqual(
      expect.arrayContaining(['dry-run', `dry-run:${'a'.repeat(32)}`]),
    );
    const sent = timeline().find((e) => e.type === 'notification.sent');
    expect(sent?.summary).toMatch(/dry run \(drill; nothing sent to Berliner/);
    expect(sent?.data.delivery).toBe('dry-run');
  });

  it('drill-recipient: sent once, marked as a drill, to the drill mailbox only', async () => {
    seedCase('inc-drill-2', true);
    const env = {
      REGULATORY_DRILL_DELIVERY: JSON.stringify({
        mode: 'drill-recipient',
        to: 'success@simulator.amazonses.com',
      }),
    };
    await makeHandler(buildDeps(rtWith(env)))(sendInput('inc-drill-2'), ctx);
    const all = mails();
    expect(all).toHaveLength(1);
    expect(all[0]?.Destination?.ToAddresses).toEqual(['success@simulator.amazonses.com']);
    expect(all[0]?.Content?.Simple?.Subject?.Data).toMatch(/^\[DRILL\] \[GDPR-33 notification\]/);
    expect(all[0]?.Content?.Simple?.Body?.Text?.Data).toMatch(/^DRILL - not a notification/);
    const every = all.flatMap((m) => m.Destination?.ToAddresses ?? []);
    for (const a of Object.values(CONTACTS.authorities)) expect(every).not.toContain(a);
    expect(timeline().find((e) => e.type === 'notification.sent')?.data.delivery).toBe(
      'drill-recipient',
    );
  });

  it('a production case is unchanged: sent to the configured authority address', async () => {
    seedCase('inc-prod', false);
    const env = {
      REGULATORY_DRILL_DELIVERY: JSON.stringify({
        mode: 'drill-recipient',
        to: 'success@simulator.amazonses.com',
      }),
    };
    await makeHandler(buildDeps(rtWith(env)))(sendInput('inc-prod'), ctx);
    const all = mails();
    expect(all).toHaveLength(1);
    expect(all[0]?.Destination?.ToAddresses).toEqual([AUTHORITY]);
    expect(all[0]?.Content?.Simple?.Subject?.Data).toBe(
      '[GDPR-33 notification] Acme Pay Europe GmbH',
    );
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Tagging).not.toContain('drill');
    expect(timeline().find((e) => e.type === 'notification.sent')?.summary).toMatch(
      /sent to Berliner/,
    );
  });

  it('refuses a drill delivery that is not an address', () => {
    expect(() =>
      buildDeps(rtWith({ REGULATORY_DRILL_DELIVERY: '{"mode":"drill-recipient","to":"x"}' })),
    ).toThrow(/REGULATORY_DRILL_DELIVERY at to/);
  });
});

describe('regulatory-intake: the drill flag', () => {
  const profile = JSON.stringify({ entity: ENTITY, contacts: CONTACTS });
  const intake = () =>
    intakeHandler(
      buildDeps(
        rtWith({
          REGULATORY_PROFILE: profile,
          REGULATORY_STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:1:stateMachine:clock',
        }),
      ),
    );
  const ev = (type: string, detail: Record<string, unknown>) => ({
    'detail-type': type,
    time: '2026-11-29T09:00:00Z',
    detail: { incidentId: 'inc-late-drill', ...detail },
  });
  const storedCase = () =>
    (items.get('REG#inc-late-drill|CASE')?.case as RegulatoryCase | undefined) ?? undefined;

  it('a case becomes a drill when a later event says so, and never goes back', async () => {
    const h = intake();
    await h(ev('RegulatoryFactsUpdated', { narrative: { discovery: 'x' } }), ctx);
    expect(storedCase()?.drill).toBe(false);
    await h(
      ev('IncidentDeclared', { classification: 'pii-breach', severity: 'P1', drill: true }),
      ctx,
    );
    expect(storedCase()?.drill).toBe(true);
    await h(ev('IncidentUpdated', { classification: 'pii-breach', severity: 'P1' }), ctx);
    expect(storedCase()?.drill).toBe(true);
    expect(timeline().some((e) => /marked as a drill|\(drill\)/.test(e.summary))).toBe(true);
  });
});
