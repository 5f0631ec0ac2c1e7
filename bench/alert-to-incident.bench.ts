/**
 * Alert → incident declared, on the embedded local runtime: each alert enters as a signed KYC
 * webhook through the real ingest handler (PutEvents → rule → triage-alert with idempotency →
 * IncidentDeclared on the bus). Latency per alert, p50/p99. Run:
 *   npx tsx bench/alert-to-incident.bench.ts [N=1000] [CONCURRENCY=4]
 */
import '../infra/local/polyfill.ts';
import { createHmac } from 'node:crypto';
import { LocalRuntime } from '../infra/local/runtime.ts';
import { urlEvent } from '../test/unit/ingest/helpers.ts';

const N = Number(process.argv[2] ?? 1000);
const C = Number(process.argv[3] ?? 4);
const rt = await LocalRuntime.start({
  stage: 'local',
  secrets: { KycWebhookSecret: 'bench-secret' },
});
try {
  const declared = new Map<string, number>();
  const seen = () => {
    for (const e of rt.busEvents.slice(seenUpTo)) {
      if (e.detailType === 'IncidentDeclared')
        declared.set(String((e.detail as { alertId: string }).alertId), performance.now());
    }
    seenUpTo = rt.busEvents.length;
  };
  let seenUpTo = 0;
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const body = JSON.stringify({
          applicantId: `bench${i}`,
          type: 'applicantReviewed',
          reviewResult: { reviewAnswer: 'GREEN' },
          createdAtMs: rt.clock.now().toISOString(),
        });
        const digest = createHmac('sha256', 'bench-secret').update(body).digest('hex');
        const start = performance.now();
        const res = (await rt.invokeFunction(
          'ingest-kyc-webhook',
          urlEvent(body, { 'x-payload-digest': digest }),
        )) as {
          statusCode: number;
          body: string;
        };
        const alertId = JSON.parse(res.body).alertId as string;
        for (;;) {
          seen();
          const at = declared.get(alertId);
          if (at !== undefined) {
            lat.push(at - start);
            break;
          }
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    }),
  );
  const ms = performance.now() - t0;
  await rt.idle(120_000).catch(() => undefined);
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  console.log(`alert → IncidentDeclared on the local runtime (${N} alerts, concurrency ${C})`);
  console.log(
    `  p50 ${q(0.5).toFixed(1)} ms   p99 ${q(0.99).toFixed(1)} ms   max ${q(1).toFixed(1)} ms`,
  );
  console.log(
    `  throughput ${((N / ms) * 1000).toFixed(1)} incidents/s, runtime start ${Math.round(rt.timings.startMs ?? 0)} ms`,
  );
} finally {
  await rt.stop();
}
