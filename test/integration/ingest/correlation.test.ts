import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '#contracts/alert.ts';
import { verifyChain } from '#domain/timeline.ts';
import type { BusEvent } from '#ports/event-publisher.ts';
import { triageAlert } from '#use-cases/triage-alert.ts';
import { startStore } from './dynalite.ts';

let db: Awaited<ReturnType<typeof startStore>>;
beforeAll(async () => {
  db = await startStore();
});
afterAll(() => db?.stop());

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
/** 10,000 by default (the figure); TOURNIQUET_CORRELATION_ALERTS scales it for quick runs. */
const TOTAL = Number(process.env.TOURNIQUET_CORRELATION_ALERTS ?? 10_000);
const UNIQUE = Math.round(TOTAL * 0.7);
const DUPS = TOTAL - UNIQUE;

function alert(group: number, n: number): Alert {
  return {
    schemaVersion: 1,
    alertId: `stripe:evt_${group}_${n}`,
    source: 'stripe',
    kind: n % 3 === 0 ? 'payment.early-fraud-warning' : 'payment.dispute',
    severityHint: n % 3 === 0 ? 'high' : 'medium',
    occurredAt: new Date(T0 + n * 1000).toISOString(),
    receivedAt: new Date(T0 + n * 1000).toISOString(),
    sourceEventId: `evt_${group}_${n}`,
    summary: 'generated',
    correlationKeys: { customerIds: [`stripe:cus_${group}`] },
    evidence: { sha256: 'a'.repeat(64), bytes: 10 },
    drill: false,
  };
}

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

describe('correlation against dynalite', () => {
  it(`${TOTAL} alerts (30 % duplicates, shuffled) → exactly the expected incidents, every alert recorded once`, async () => {
    // 7,000 distinct alerts in groups of 1..5 sharing a customer key; 3,000 redeliveries.
    const rng = fc.sample(fc.integer({ min: 1, max: 5 }), { numRuns: UNIQUE, seed: 42 });
    const unique: Alert[] = [];
    const groupOf = new Map<string, number>();
    let g = 0;
    while (unique.length < UNIQUE) {
      const size = Math.min(rng[g % rng.length]!, UNIQUE - unique.length);
      for (let n = 0; n < size; n++) {
        const a = alert(g, n);
        unique.push(a);
        groupOf.set(a.alertId, g);
      }
      g++;
    }
    const groups = g;
    const dupIdx = fc.sample(fc.integer({ min: 0, max: unique.length - 1 }), {
      numRuns: DUPS,
      seed: 7,
    });
    const all = [...unique, ...dupIdx.map((i) => structuredClone(unique[i]!))];
    const order = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), {
      numRuns: all.length,
      seed: 3,
    });
    const shuffled = all
      .map((a, i) => ({ a, k: order[i]! }))
      .sort((x, y) => x.k - y.k)
      .map((x) => x.a);
    expect(shuffled).toHaveLength(TOTAL);

    const published: BusEvent[] = [];
    const deps = {
      store: db.store,
      publisher: { publish: async (e: BusEvent[]) => void published.push(...e) },
      clock: { now: () => new Date(T0 + 60_000) },
      correlationWindowMinutes: 60,
    };
    const outcomes = { declared: 0, updated: 0, duplicate: 0 };
    const incidentOf = new Map<string, string>();
    const t = performance.now();
    await pool(shuffled, 32, async (a) => {
      const r = await triageAlert(deps, a);
      outcomes[r.outcome]++;
      const prev = incidentOf.get(a.alertId);
      if (prev) expect(r.incidentId).toBe(prev);
      incidentOf.set(a.alertId, r.incidentId);
    });
    const ms = performance.now() - t;
    console.log(`triaged ${TOTAL} alerts in ${Math.round(ms)} ms`, outcomes);

    expect(outcomes.declared).toBe(groups);
    expect(outcomes.duplicate).toBe(DUPS);
    // every group maps to exactly one incident and every incident to exactly one group
    const byGroup = new Map<number, Set<string>>();
    for (const [alertId, inc] of incidentOf) {
      const grp = groupOf.get(alertId)!;
      byGroup.set(grp, (byGroup.get(grp) ?? new Set()).add(inc));
    }
    expect([...byGroup.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...byGroup.values()].map((s) => [...s][0])).size).toBe(groups);

    // the table: one META per incident, one ALERT# row per distinct alert, and each incident's
    // alert list holds each of its alerts exactly once
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await db.doc.send(
        new ScanCommand({ TableName: 'tourniquet-incidents-test', ExclusiveStartKey: start }),
      );
      items.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    const metas = items.filter((i) => i.sk === 'META');
    const alertRows = items.filter(
      (i) => String(i.pk).startsWith('INC#') && String(i.sk).startsWith('ALERT#'),
    );
    expect(metas).toHaveLength(groups);
    expect(alertRows).toHaveLength(UNIQUE);
    expect(new Set(alertRows.map((r) => r.alertId)).size).toBe(UNIQUE);
    for (const m of metas) {
      const ids = m.alertIds as string[];
      expect(new Set(ids).size).toBe(ids.length);
      const rows = alertRows.filter((r) => r.incidentId === m.incidentId);
      expect([...ids].sort()).toEqual(rows.map((r) => String(r.alertId)).sort());
    }
    // declared exactly once per incident on the bus
    expect(published.filter((e) => e.detailType === 'IncidentDeclared')).toHaveLength(groups);
  }, 600_000);

  it('concurrent timeline writers: the chain verifies and no entry is lost', async () => {
    const id = 'INC-20260302-concurrent';
    const writers = 8;
    const each = 25;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        (async () => {
          for (let i = 0; i < each; i++)
            await db.store.appendTimeline(id, {
              type: 'containment.executed',
              at: new Date(T0 + i).toISOString(),
              actor: `writer-${w}`,
              summary: `step ${i}`,
              data: { w, i },
            });
        })(),
      ),
    );
    const entries = await db.store.readTimeline(id);
    expect(entries).toHaveLength(writers * each);
    expect(verifyChain(entries)).toMatchObject({ verified: true, entries: writers * each });
    const seen = new Set(entries.map((e) => `${e.data?.w}:${e.data?.i}`));
    expect(seen.size).toBe(writers * each);
  });
});
