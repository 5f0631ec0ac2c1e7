import { createHmac, sign } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { verifyChain } from '#domain/timeline.ts';
import { adyenHmac, adyenSigningString } from '#domain/webhooks/adyen-hmac.ts';
import { serveWebhooks } from '../../cli/commands/local.ts';
import { attachDrillOperator } from '../../infra/local/drill-operator.ts';
import { localSigningKeys } from '../../infra/local/ingest-support.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';

const KYC = 'kyc-e2e-secret';
const ADYEN = 'AB'.repeat(32);
let rt: LocalRuntime;
let web: Awaited<ReturnType<typeof serveWebhooks>>;
let store: DynamoIncidentStore;

beforeAll(async () => {
  rt = await LocalRuntime.start({
    secrets: { KycWebhookSecret: KYC, AdyenHmacKey: ADYEN, AdobeIoClientId: 'e2e-client' },
  });
  web = await serveWebhooks(rt);
  // a RED review raises a deepfake-media incident above P4, which starts containment: the operator
  // here declines every approval and escalation, so the respond runs end and rt.idle() returns
  attachDrillOperator(rt, { approvals: 'reject', escalations: 'reject' });
  store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
}, 120_000);
afterAll(async () => {
  await web?.stop();
  await rt?.stop();
});

const post = (url: string, body: string, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

function kyc(answer: 'GREEN' | 'RED', at: string) {
  const body = JSON.stringify({
    applicantId: 'e2e-applicant',
    type: 'applicantReviewed',
    reviewResult:
      answer === 'RED'
        ? { reviewAnswer: 'RED', reviewRejectType: 'FINAL' }
        : { reviewAnswer: 'GREEN' },
    createdAtMs: at,
  });
  return {
    body,
    headers: { 'x-payload-digest': createHmac('sha256', KYC).update(body).digest('hex') },
  };
}

describe('ingest on the local runtime, over loopback HTTP', () => {
  it('KYC: RED after GREEN updates the same incident (severity raised), chain verifies', async () => {
    const now = rt.clock.now().getTime();
    const green = kyc('GREEN', new Date(now - 120_000).toISOString());
    const r1 = await post(web.endpoints.kyc, green.body, green.headers);
    expect(r1.status).toBe(200);
    await rt.idle();
    const red = kyc('RED', new Date(now - 60_000).toISOString());
    expect((await post(web.endpoints.kyc, red.body, red.headers)).status).toBe(200);
    // a replay of the RED review is answered 200 and changes nothing
    expect((await post(web.endpoints.kyc, red.body, red.headers)).status).toBe(200);
    await rt.idle();
    const incidents = (await store.listIncidents(100)).filter((i) =>
      i.correlationKeys.includes('applicant:kyc:e2e-applicant'),
    );
    expect(incidents).toHaveLength(1);
    const inc = incidents[0]!;
    expect(inc.alertIds).toHaveLength(2);
    expect(inc.classification).toBe('deepfake-media');
    const timeline = await store.readTimeline(inc.incidentId);
    expect(timeline.filter((e) => e.type === 'alert.received')).toHaveLength(2);
    expect(timeline.some((e) => e.type === 'incident.updated')).toBe(true);
    expect(verifyChain(timeline).verified).toBe(true);
    expect(
      rt.busEvents.filter(
        (e) => e.detailType === 'Alert' && JSON.stringify(e.detail).includes('e2e-applicant'),
      ),
    ).toHaveLength(2);
  });

  it('Adyen answers [accepted]; Adobe I/O verifies against the loopback key host; a bad signature is quarantined', async () => {
    const item: Record<string, unknown> = {
      pspReference: 'E2EPSP1',
      merchantAccountCode: 'Shop',
      merchantReference: '100000777',
      amount: { value: 500, currency: 'EUR' },
      eventCode: 'CHARGEBACK',
      success: 'true',
    };
    item.additionalData = { hmacSignature: adyenHmac(ADYEN, adyenSigningString(item as never)) };
    const ad = await post(
      web.endpoints.adyen,
      JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] }),
      {},
    );
    expect(await ad.text()).toBe('[accepted]');

    const challenge = await fetch(`${web.endpoints['adobe-io']}?challenge=hello123`);
    expect(await challenge.json()).toEqual({ challenge: 'hello123' });
    const body = JSON.stringify({
      type: 'com.adobe.commerce.observer.admin_user_authenticate_after',
      event_id: 'e2e-adobe-1',
      time: rt.clock.now().toISOString(),
      recipient_client_id: 'e2e-client',
      data: { value: { user_id: 5 } },
    });
    const sig = sign('sha256', Buffer.from(body), localSigningKeys.adobeIo!).toString('base64');
    const ok = await post(web.endpoints['adobe-io'], body, {
      'x-adobe-digital-signature-1': sig,
      'x-adobe-public-key1-path': '/prod/keys/pub-key-e2e.pem',
    });
    expect(ok.status).toBe(200);
    const bad = await post(web.endpoints['adobe-io'], body.replace('5', '6'), {
      'x-adobe-digital-signature-1': sig,
      'x-adobe-public-key1-path': '/prod/keys/pub-key-e2e.pem',
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'signature no-match' });
    const bucket = rt.functionEnv('ingest-adobe-io-webhook').QUARANTINE_BUCKET!;
    const listed = await rt
      .s3()
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'quarantine/adobe-io/' }));
    expect(listed.KeyCount).toBe(1);
  });

  it('triage-alert: Powertools idempotency on the alert id returns the recorded result for a redelivery', async () => {
    const alert = rt.busEvents.find((e) => e.detailType === 'Alert')!;
    const event = {
      version: '0',
      id: 'x',
      'detail-type': 'Alert',
      source: alert.source,
      detail: alert.detail,
    };
    const first = await rt.invokeFunction('triage-alert', event);
    const again = await rt.invokeFunction('triage-alert', event);
    expect(again).toEqual(first);
    const table = rt.functionEnv('triage-alert').IDEMPOTENCY_TABLE!;
    const scan = await rt.dynamo().send(new ScanCommand({ TableName: table }));
    // one COMPLETED record per triaged alert, holding the recorded result
    expect(scan.Items?.filter((i) => i.status === 'COMPLETED').length).toBeGreaterThan(0);
    expect(
      scan.Items?.some((i) =>
        JSON.stringify(i.data ?? null).includes((first as { incidentId: string }).incidentId),
      ),
    ).toBe(true);
  });

  it('the scheduled export writes verified timelines to the evidence bucket', async () => {
    const out = (await rt.invokeFunction('export-timelines', {})) as {
      exported: Array<{ key: string }>;
      broken: unknown[];
    };
    expect(out.broken).toEqual([]);
    expect(out.exported.length).toBeGreaterThan(0);
    const bucket = rt.functionEnv('export-timelines').EVIDENCE_BUCKET!;
    const listed = await rt
      .s3()
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'timelines/' }));
    expect(listed.KeyCount).toBe(out.exported.length);
  });
});
