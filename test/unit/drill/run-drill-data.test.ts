import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { C2paExifrProvenanceReader } from '#adapters/media/provenance-reader.ts';
import { MediaItemSchema } from '#contracts/media.ts';
import { assessMedia, DEFAULT_MEDIA_THRESHOLDS } from '#domain/media/verdict.ts';
import { fingerprint } from '#domain/recovery/scan.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { buildDeps, makeHandler } from '../../../functions/run-drill.ts';

/**
 * run-drill's data injections with aws-sdk-client-mock: generated media, leaked files and
 * restores go only to drill prefixes and drill sources, tagged as drill artefacts, and start the
 * real workflows (check-media via MediaUploaded, scan-media, assess-scope, recover) in drill mode.
 */
const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const lambda = mockClient(LambdaClient);
const ddb = mockClient(DynamoDBDocumentClient);

const NOW = new Date('2026-03-02T06:10:07.123Z');
const ENV = {
  EVENT_BUS_NAME: 'tourniquet',
  INCIDENT_TABLE: 'tourniquet-incidents-prod',
  DRILL_MEDIA_BUCKET: 'tq-media',
  DRILL_SCOPE_BUCKET: 'tq-scope',
  DRILL_ASSESS_SCOPE_FUNCTION: 'tourniquet-assess-scope',
  DRILL_SCAN_MEDIA_STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:1:stateMachine:scan-media',
  DRILL_RECOVER_STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:1:stateMachine:recover',
  DRILL_FINGERPRINT_KEY_SECRET_ARN: 'arn:secret:RecoveryFingerprintKey',
  DRILL_RECOVERY_SOURCE: JSON.stringify({
    kind: 'magento-db',
    source: 'magento-drill',
    snapshotId: 'magento-drill-scenario-rows',
  }),
};
const KEY = 'fingerprint-key-0123456789';
const secretsRead: string[] = [];
const rtWith = (env: Record<string, string>): RuntimeConfig => ({
  env,
  aws: { region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
  secret: async (id) => {
    secretsRead.push(id);
    return KEY;
  },
  clock: { now: () => NOW },
});
const ctx = { functionName: 'run-drill', awsRequestId: 'req-1' } as Context;
const invokeWith = (env: Record<string, string>) => (event: unknown) =>
  // biome-ignore lint/suspicious/noExplicitAny: outputs are checked field by field
  makeHandler(buildDeps(rtWith(env)))(event, ctx) as Promise<any>;
const invoke = invokeWith(ENV);

const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
/** A Lambda Invoke answer (the SDK's payload blob type is only needed for its bytes). */
const payload = (v: unknown) => Buffer.from(JSON.stringify(v)) as never;
const tagsOf = (t?: string) => Object.fromEntries(new URLSearchParams(t ?? ''));
/** Claims of the incident table: ALERT#<id> → incident, KEY#<key> → incident. */
const claims = new Map<string, string>();

beforeEach(() => {
  for (const m of [eb, s3, sfn, lambda, ddb]) m.reset();
  claims.clear();
  secretsRead.length = 0;
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  s3.on(PutObjectCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  ddb.on(GetCommand).callsFake((i) => {
    const id = claims.get(String(i.Key.pk));
    return { Item: id ? { incidentId: id } : undefined };
  });
  ddb.on(BatchGetCommand).callsFake((i) => {
    const [table, req] = Object.entries(i.RequestItems ?? {})[0] as [
      string,
      { Keys: Array<{ pk: string }> },
    ];
    const hits = req.Keys.filter((k) => claims.has(k.pk)).map((k) => ({
      incidentId: claims.get(k.pk),
      at: '2026-03-02T06:00:30.000Z',
    }));
    return { Responses: { [table]: hits } };
  });
});

const reader = new C2paExifrProvenanceReader();
const verdictOf = async (b: Uint8Array) =>
  assessMedia({ provenance: await reader.read(b) }, DEFAULT_MEDIA_THRESHOLDS).verdict;

describe('run-drill media-upload', () => {
  const runId = 'deepfake-kyc-upload.down.20260302t060007z';

  it('puts the generated selfie and ID document under drill/<run>/, tagged, and announces a drill upload', async () => {
    const out = await invoke({ op: 'inject', runId, scenario: 'deepfake-kyc-upload', index: 0 });
    const p = puts();
    expect(p.map((x) => x.Key)).toEqual([
      `drill/${runId}/kyc/app-4711/id-document.jpg`,
      `drill/${runId}/kyc/app-4711/selfie.jpg`,
    ]);
    for (const x of p) {
      expect(x.Bucket).toBe('tq-media');
      expect(x.ContentType).toBe('image/jpeg');
      expect(tagsOf(x.Tagging)).toEqual({
        'tourniquet:drill': 'true',
        'tourniquet:drill-run': runId,
      });
    }
    // the same generated fixtures as the local drill: the selfie declares generated media
    expect(await verdictOf(p[1]!.Body as Uint8Array)).toBe('synthetic');
    expect(await verdictOf(p[0]!.Body as Uint8Array)).toBe('unknown');
    const entries = eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ Source: 'tourniquet.drill', DetailType: 'MediaUploaded' });
    expect(MediaItemSchema.parse(JSON.parse(entries[0]!.Detail!))).toEqual({
      bucket: 'tq-media',
      key: `drill/${runId}/kyc/app-4711/selfie.jpg`,
      purpose: 'kyc-selfie',
      applicant: 'app-4711',
      referenceKey: `drill/${runId}/kyc/app-4711/id-document.jpg`,
      drill: true,
    });
    expect(out).toMatchObject({
      injected: true,
      alertIds: [],
      incidentKeys: [`mediaObject:s3://tq-media/drill/${runId}/kyc/app-4711/selfie.jpg`],
    });
    expect(out.notes.join('\n')).toMatch(/Rekognition answers are local stand-in fixtures/);
    expect(out.notes.join('\n')).toMatch(/application app-4711 must exist/);
  });
});

describe('run-drill media-gallery-scan', () => {
  const runId = 'deepfake-catalog-images.down.20260302t060007z';

  it('uploads the generated gallery under drill/<run>/ and starts scan-media in drill mode', async () => {
    const out = await invoke({
      op: 'inject',
      runId,
      scenario: 'deepfake-catalog-images',
      index: 0,
    });
    const p = puts();
    expect(p).toHaveLength(60);
    const prefix = `drill/${runId}/catalog/product/d/r/`;
    expect(p.every((x) => x.Key?.startsWith(prefix) && x.Bucket === 'tq-media')).toBe(true);
    expect(p.every((x) => tagsOf(x.Tagging)['tourniquet:drill'] === 'true')).toBe(true);
    expect(new Set(p.map((x) => x.Key)).size).toBe(60);
    // synthetic 7, 23, 51 carry the signed C2PA declaration; the others are plain
    const flagged: string[] = [];
    for (const x of p)
      if ((await verdictOf(x.Body as Uint8Array)) === 'synthetic') flagged.push(x.Key!);
    expect(flagged).toEqual(
      [7, 23, 51].map((i) => `${prefix}sku-${String(i).padStart(4, '0')}.jpg`),
    );
    const [start, ...more] = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(more).toEqual([]);
    expect(start?.stateMachineArn).toBe(ENV.DRILL_SCAN_MEDIA_STATE_MACHINE_ARN);
    expect(start?.name).toBe('drill-deepfake-catalog-images-down-20260302t060007z-0');
    expect(JSON.parse(start!.input!)).toEqual({
      bucket: 'tq-media',
      prefix,
      purpose: 'catalog',
      drill: true,
    });
    expect(out.incidentKeys).toEqual(flagged.map((k) => `mediaObject:s3://tq-media/${k}`));
    expect(out.notes.join('\n')).toMatch(/drill staging Magento database .* 6 gallery rows/);
  });

  it('a repeated injection (Step Functions retry) starts no second scan', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const out = await invoke({
      op: 'inject',
      runId,
      scenario: 'deepfake-catalog-images',
      index: 0,
    });
    expect(out.injected).toBe(true);
  });
});

describe('run-drill leaked-file', () => {
  const runId = 'magento-customer-export-leak.up.20260302t060007z';

  it('writes the generated export under leaks/drill/<run>/ and assesses it for the run incident', async () => {
    claims.set(`ALERT#drill:${runId}:drill:magento-export-1`, 'INC-drill-1');
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({ affected: { total: 120 }, subjects: [], confidence: 'low' }),
    });
    const out = await invoke({
      op: 'inject',
      runId,
      scenario: 'magento-customer-export-leak',
      index: 1,
    });
    const [p, ...more] = puts();
    expect(more).toEqual([]);
    expect(p).toMatchObject({
      Bucket: 'tq-scope',
      Key: `leaks/drill/${runId}/customer_20261129_101500.csv`,
      ContentType: 'text/csv',
    });
    expect(tagsOf(p!.Tagging)['tourniquet:drill']).toBe('true');
    const lines = String(p!.Body).trimEnd().split('\n');
    expect(lines).toHaveLength(121);
    expect(lines[0]).toMatch(/^password,website_id,taxvat,.*,email$/);
    expect(lines.slice(1).every((l) => /person\d+@example\.test/.test(l))).toBe(true);
    const calls = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      FunctionName: 'tourniquet-assess-scope',
      InvocationType: 'RequestResponse',
    });
    expect(JSON.parse(Buffer.from(calls[0]!.Payload as Uint8Array).toString())).toEqual({
      incidentId: 'INC-drill-1',
      leak: { bucket: 'tq-scope', key: `leaks/drill/${runId}/customer_20261129_101500.csv` },
      useMap: false,
    });
    expect(out).toMatchObject({ injected: true, alertIds: [], incidentKeys: [] });
    expect(out.notes.join('\n')).toMatch(/120 affected/);
    expect(out.notes.join('\n')).toMatch(/no customer notices in AWS/);
  });

  it('retries while triage has not opened the run incident yet (nothing written)', async () => {
    await expect(
      invoke({ op: 'inject', runId, scenario: 'magento-customer-export-leak', index: 1 }),
    ).rejects.toMatchObject({ name: 'RetryableError', message: /no incident of drill run/ });
    expect(puts()).toEqual([]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('a failed assessment is an injection error (not retried when assess-scope says so)', async () => {
    claims.set(`ALERT#drill:${runId}:drill:magento-export-1`, 'INC-drill-1');
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'NonRetryableError', errorMessage: 'leaked file: line 2' }),
    });
    await expect(
      invoke({ op: 'inject', runId, scenario: 'magento-customer-export-leak', index: 1 }),
    ).rejects.toMatchObject({ name: 'NonRetryableError', message: /assess-scope.*line 2/ });
  });
});

describe('run-drill recovery-restore', () => {
  const runId = 'restore-reexposes-synthetic-data.up.20260302t060007z';

  it('starts recover against the configured drill source, in drill mode, with the exposed fingerprints', async () => {
    claims.set(`ALERT#drill:${runId}:drill:dataset-monitor-1`, 'INC-drill-2');
    const out = await invoke({
      op: 'inject',
      runId,
      scenario: 'restore-reexposes-synthetic-data',
      index: 1,
    });
    const [start, ...more] = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(more).toEqual([]);
    expect(start?.stateMachineArn).toBe(ENV.DRILL_RECOVER_STATE_MACHINE_ARN);
    expect(JSON.parse(start!.input!)).toEqual({
      incidentId: 'INC-drill-2',
      kind: 'magento-db',
      source: 'magento-drill',
      snapshotId: 'magento-drill-scenario-rows',
      drill: true,
      exposedFingerprints: [
        fingerprint(KEY, ['c1003@customers.fintech.test']),
        fingerprint(KEY, ['c1004@customers.fintech.test']),
      ],
    });
    expect(secretsRead).toEqual([ENV.DRILL_FINGERPRINT_KEY_SECRET_ARN]);
    expect(puts()).toEqual([]);
    expect(out.injected).toBe(true);
    expect(out.notes.join('\n')).toMatch(/must hold the scenario's 8 rows/);
    expect(out.notes.join('\n')).toMatch(/wait for an operator/);
  });

  it('without a configured drill source: not injected, never a production restore', async () => {
    const { DRILL_RECOVERY_SOURCE: _none, ...env } = ENV;
    claims.set(`ALERT#drill:${runId}:drill:dataset-monitor-1`, 'INC-drill-2');
    const out = await invokeWith(env)({
      op: 'inject',
      runId,
      scenario: 'restore-reexposes-synthetic-data',
      index: 1,
    });
    expect(out).toMatchObject({ injected: false });
    expect(out.reason).toMatch(/no drill restore source configured/);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('refuses a restore source that is not a drill resource', () => {
    expect(() =>
      buildDeps(
        rtWith({
          ...ENV,
          DRILL_RECOVERY_SOURCE: JSON.stringify({ kind: 'dynamodb', source: 'tourniquet-prod' }),
        }),
      ),
    ).toThrow(/DRILL_RECOVERY_SOURCE/);
  });
});
