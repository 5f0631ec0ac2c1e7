/**
 * Alert → first containment action, on the embedded local runtime, and state transitions per
 * incident per playbook (the Step Functions cost driver: standard workflows bill per transition).
 * Each alert is put on the `tourniquet` bus with the real SDK (as the ingest handlers publish it);
 * triage-alert opens the incident, IncidentDeclared starts `respond`, the drill operator answers
 * the approval gates at once. Latency = wall time from PutEvents to the first execute-containment
 * that returned (action executed and verified). Run:
 *   npx tsx bench/containment.bench.ts [N=200] [CONCURRENCY=4]
 */
import '../infra/local/polyfill.ts';
import { CONTAINMENT_INJECTORS, seedContainment } from '../infra/local/containment-drill.ts';
import { attachDrillOperator } from '../infra/local/drill-operator.ts';
import { LocalRuntime } from '../infra/local/runtime.ts';
import { LOCAL_MAGENTO_INSTANCES } from '../infra/local/storefront.ts';

const N = Number(process.argv[2] ?? 200);
const C = Number(process.argv[3] ?? 4);
const BUCKET = 'tq-bench-training-data';
const PROFILE = {
  entity: {
    name: 'Acme Pay Europe GmbH',
    kinds: ['e-money-institution'],
    country: 'DE',
    timezone: 'Europe/Berlin',
    competentAuthority: 'BaFin',
    gdpr: { mainEstablishment: 'DE', leadAuthority: 'BlnBDI' },
  },
  contacts: {
    sender: 'regulatory@acme-pay.example',
    complianceOfficer: 'compliance@acme-pay.example',
    escalation: 'ciso-office@acme-pay.example',
    contactPoint: 'Data Protection Officer, dpo@acme-pay.example',
    authorities: { '*': 'regulators@acme-pay.example' },
  },
};

const KINDS = [
  {
    playbook: 'payment-fraud',
    alert: (i: number) => ({
      kind: 'payment.dispute',
      correlationKeys: {
        customerIds: [`stripe:cus_bench_${i}`],
        cardFingerprints: [`fp_bench_${i}`],
      },
    }),
  },
  {
    playbook: 'pii-breach',
    alert: (i: number) => ({
      kind: 'magento.export',
      correlationKeys: { adminUser: `magento:${1000 + i}`, ip: `10.20.${i >> 8}.${i & 255}` },
    }),
  },
  {
    playbook: 'synthetic-data',
    alert: (i: number) => ({
      kind: 'dataset.exposed',
      correlationKeys: { dataset: `s3://${BUCKET}/set-${i}/` },
    }),
  },
] as const;

const rt = await LocalRuntime.start({
  stage: 'drill',
  context: {
    'tourniquet:regulatoryProfile': PROFILE,
    'tourniquet:containment': {
      magentoSsmTargets: LOCAL_MAGENTO_INSTANCES,
      magentoMaintenanceAllowIps: ['198.51.100.10'],
      breakGlassRoleArn: 'arn:aws:iam::000000000000:role/tourniquet-incident-response',
      datasetBuckets: [BUCKET],
    },
  },
});
try {
  attachDrillOperator(rt);
  await seedContainment(rt, {
    magentoDb: {
      admin_user: Array.from({ length: N }, (_, i) => ({
        user_id: 1000 + i,
        username: `bench-admin-${i}`,
        password: 'x',
        is_active: 1,
      })),
    },
    s3: Array.from({ length: N }, (_, i) => ({ bucket: BUCKET, key: `set-${i}/part-0.jsonl` })),
  });
  // First execute-containment that returned, per incident (wall clock).
  const firstAction = new Map<string, number>();
  const invoke = rt.invokeFunction.bind(rt);
  rt.invokeFunction = async (name: string, event: unknown) => {
    const out = await invoke(name, event);
    const id = (event as { incidentId?: string }).incidentId;
    if (name === 'execute-containment' && id && !firstAction.has(id))
      firstAction.set(id, performance.now());
    return out;
  };
  const incidentOf = (alertId: string) =>
    rt.busEvents.find(
      (e) =>
        e.detailType === 'IncidentDeclared' &&
        (e.detail as { alertId?: string }).alertId === alertId,
    )?.detail as { incidentId: string } | undefined;

  const lat: number[] = [];
  const byIncident = new Map<string, string>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const k = KINDS[i % KINDS.length]!;
        const alertId = `bench:${k.playbook}:${i}`;
        const start = performance.now();
        await CONTAINMENT_INJECTORS['bus-alert']!(
          rt,
          {
            event: {
              alertId,
              severityHint: 'critical',
              summary: `bench ${k.playbook}`,
              ...k.alert(i),
            },
          },
          rt.clock.now(),
        );
        for (let spin = 0; ; spin++) {
          const inc = incidentOf(alertId);
          const at = inc && firstAction.get(inc.incidentId);
          if (inc && at !== undefined) {
            lat.push(at - start);
            byIncident.set(inc.incidentId, k.playbook);
            break;
          }
          if (spin > 30_000) throw new Error(`no containment action for ${alertId}`);
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    }),
  );
  const wall = performance.now() - t0;
  await rt.idle(300_000);
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  console.log(
    `alert → first containment action (local runtime, ${N} incidents, concurrency ${C}): p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${lat.at(-1)!.toFixed(1)} ms; ${(N / (wall / 1000)).toFixed(1)} incidents/s`,
  );
  // State transitions per incident: every execution whose input names the incident.
  const per = new Map<string, Map<string, number>>(); // playbook → machine → transitions total
  const count = new Map<string, number>();
  for (const pb of byIncident.values()) count.set(pb, (count.get(pb) ?? 0) + 1);
  const respondPer = new Map<string, number[]>();
  for (const ex of rt.runner.executions.values()) {
    const input = ex.input as { detail?: { incidentId?: string }; incidentId?: string };
    const id = input?.detail?.incidentId ?? input?.incidentId;
    const pb = id ? byIncident.get(id) : undefined;
    if (!pb) continue;
    const m = per.get(pb) ?? new Map<string, number>();
    m.set(ex.stateMachine, (m.get(ex.stateMachine) ?? 0) + ex.transitions);
    per.set(pb, m);
    if (ex.stateMachine === 'respond')
      respondPer.set(pb, [...(respondPer.get(pb) ?? []), ex.transitions]);
  }
  console.log('state transitions per incident (mean over the incidents of each playbook):');
  for (const [pb, m] of per) {
    const n = count.get(pb) ?? 1;
    const r = (respondPer.get(pb) ?? []).sort((a, b) => a - b);
    const parts = [...m].map(([sm, t]) => `${sm} ${(t / n).toFixed(1)}`).join(', ');
    const total = [...m.values()].reduce((a, b) => a + b, 0) / n;
    console.log(
      `  ${pb.padEnd(15)} ${n} incidents: total ${total.toFixed(1)} (${parts}); respond min ${r[0]} max ${r.at(-1)}`,
    );
  }
  if (rt.deadLetters.length) console.log(`dead letters: ${rt.deadLetters.length}`);
} finally {
  await rt.stop();
}
