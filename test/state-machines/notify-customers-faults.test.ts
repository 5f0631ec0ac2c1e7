import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { TEMPLATE_CATALOG } from '#domain/notify/catalog.ts';
import { contentHash } from '#domain/notify/templates.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';
import { approveCatalog, seedDataMap, uploadLeak } from '../../infra/local/scope-drill.ts';

/**
 * Faults on the real path: SES throttling (HTTP 429 from a loopback proxy in front of the SES
 * stand-in) is retried with backoff and nothing is sent twice; an approval for another content
 * hash does not count.
 */

const sesMails = async (base: string) =>
  ((await (await fetch(`${base}/store`)).json()) as { emails: unknown[] }).emails.length;

/** Forwards to the SES stand-in, answering the first `throttle` SendBulkEmail calls with 429. */
function throttlingProxy(target: string, throttle: number) {
  const t = new URL(target);
  const state = { throttled: 0, bulkCalls: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bulk = req.url?.includes('/outbound-bulk-emails') ?? false;
      if (bulk) state.bulkCalls++;
      if (bulk && state.throttled < throttle) {
        state.throttled++;
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'TooManyRequestsException',
        });
        res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
        return;
      }
      const body = Buffer.concat(chunks);
      const { connection: _c, 'keep-alive': _k, ...headers } = req.headers;
      const fwd = request(
        {
          host: t.hostname,
          port: t.port,
          path: req.url,
          method: req.method,
          headers,
          agent: false,
        },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            const payload = Buffer.concat(out);
            res.writeHead(up.statusCode ?? 502, {
              'content-type': String(up.headers['content-type'] ?? 'application/json'),
              'content-length': payload.length,
            });
            res.end(payload);
          });
        },
      );
      fwd.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      fwd.end(body);
    });
  });
  return {
    state,
    start: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () =>
          r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function incident(rt: LocalRuntime, incidentId: string) {
  const at = rt.clock.now().toISOString();
  await new DynamoIncidentStore(rt.dynamo(), rt.tableName()).createIncident({
    incidentId,
    status: 'open',
    classification: 'pii-breach',
    severity: 'P1',
    severityRuleVersion: 'test',
    playbook: 'pii-breach',
    correlationKeys: [],
    alertIds: [],
    openedAt: at,
    updatedAt: at,
    drill: true,
  });
}

describe('notify-customers faults', () => {
  let rt: LocalRuntime;
  let proxy: ReturnType<typeof throttlingProxy>;
  let sesBase: string;
  beforeAll(async () => {
    rt = await LocalRuntime.start({ stage: 'test' });
    sesBase = rt.endpoints.sesv2!;
    // 6 throttled calls: more than the SDK's own 3 attempts, so the state machine's Retry on
    // SesThrottledError (backoff) has to recover the batch.
    proxy = throttlingProxy(sesBase, 6);
    rt.endpoints.sesv2 = await proxy.start();
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await rt?.stop();
  });

  it('an approval for other content does not count; the exact version + hash does', async () => {
    const incidentId = 'inc-approval';
    await incident(rt, incidentId);
    await seedDataMap(rt, { people: 12, leaked: 10 });
    const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
    // approvals recorded for an older text of every template (same id and version, other hash)
    for (const t of TEMPLATE_CATALOG)
      await notify.putApproval({
        templateId: t.id,
        version: t.version,
        contentHash: contentHash({ ...t, text: `${t.text}\nold wording` }),
        approver: 'compliance-officer',
        approvedAt: rt.clock.now().toISOString(),
      });
    const leak = await uploadLeak(rt, {
      people: 12,
      leaked: 10,
      fileName: 'customer_20261129_090000.csv',
    });
    await rt.invokeFunction('assess-scope', { incidentId, leak });
    await rt.idle();
    const run = [...rt.runner.executions.values()].find(
      (e) => e.stateMachine === 'notify-customers' && JSON.stringify(e.input).includes(incidentId),
    )!;
    expect(run.status).toBe('FAILED');
    expect(run.states).toContain('EscalateFailure');
    expect(run.states).not.toContain('SendBatches__Inline');
    expect(await sesMails(sesBase)).toBe(0);
    expect(proxy.state.bulkCalls).toBe(0);
    const timeline = await new DynamoIncidentStore(rt.dynamo(), rt.tableName()).readTimeline(
      incidentId,
    );
    expect(timeline.some((t) => t.type === 'escalation.raised')).toBe(true);
  }, 120_000);

  it('SES throttling is retried with backoff; every recipient gets exactly one notice', async () => {
    const incidentId = 'inc-throttle';
    await incident(rt, incidentId);
    await approveCatalog(rt);
    const before = await sesMails(sesBase);
    const rec = rt.startExecution('notify-customers', { incidentId: 'inc-approval' });
    await rec.done;
    expect(rec.status).toBe('SUCCEEDED');
    expect(proxy.state.throttled).toBe(6);
    const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
    const sends = await notify.listSends('inc-approval');
    const sent = (await sesMails(sesBase)) - before;
    expect(sent).toBe(10);
    expect(sends.filter((s) => s.status === 'sent')).toHaveLength(10);
    expect(new Set(sends.map((s) => s.recipientId)).size).toBe(10);
    // a retry of one batch (at-least-once delivery of the Map item) sends nothing
    await rt.invokeFunction('send-customer-notices', {
      incidentId: 'inc-approval',
      batch: { batchNo: 0, recipients: sends.map((s) => s.recipientId) },
    });
    expect((await sesMails(sesBase)) - before).toBe(10);
  }, 120_000);
});
