import { describe, expect, it } from 'vitest';
import type { IncidentStore } from '#ports/incident-store.ts';
import {
  DRILL_METRICS_NAMESPACE,
  incidentMetrics,
  METRICS_NAMESPACE,
} from '#use-cases/incident-metrics.ts';
import { makeHandler } from '../../../functions/record-incident-metrics.ts';
import { fixtureReport } from './fixture.ts';

const storeFor = (drill: boolean) => {
  const r = fixtureReport();
  return {
    getIncident: async () => ({
      ...r.incident,
      drill,
      severityRuleVersion: 'v',
      correlationKeys: [],
      alertIds: [],
    }),
    listAlerts: async () => r.alerts,
    listActions: async () => r.actions,
    readTimeline: async () => r.timeline,
  } as unknown as IncidentStore;
};

describe('incident metrics (EMF)', () => {
  it('MTTD/MTTC per classification and time-to-notify per regime; drills in their own namespace', async () => {
    const prod = await incidentMetrics({ store: storeFor(false) }, { incidentId: 'i' });
    expect(prod).toEqual([
      {
        namespace: METRICS_NAMESPACE,
        dimensions: { Classification: 'pii-breach' },
        values: { MTTD: 66, MTTC: 714 },
        unit: 'Seconds',
      },
      {
        namespace: METRICS_NAMESPACE,
        dimensions: { Regime: 'GDPR' },
        values: { TimeToNotify: 82794 },
        unit: 'Seconds',
      },
    ]);
    const drill = await incidentMetrics({ store: storeFor(true) }, { incidentId: 'i' });
    expect(drill.every((m) => m.namespace === DRILL_METRICS_NAMESPACE)).toBe(true);
  });

  it('the function writes EMF lines for a finished execution', async () => {
    const lines: string[] = [];
    const h = makeHandler({
      store: storeFor(true),
      clock: { now: () => new Date('2026-03-02T12:00:00Z') },
      emit: (l: string) => lines.push(l),
    } as never);
    const out = await h(
      { detail: { status: 'SUCCEEDED', input: JSON.stringify({ detail: { incidentId: 'i' } }) } },
      {} as never,
    );
    expect(out).toEqual({ emitted: 2 });
    const first = JSON.parse(lines[0]!);
    expect(first._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'Tourniquet/Drill',
      Dimensions: [['Classification']],
      Metrics: [
        { Name: 'MTTD', Unit: 'Seconds' },
        { Name: 'MTTC', Unit: 'Seconds' },
      ],
    });
    expect(first).toMatchObject({ Classification: 'pii-breach', MTTD: 66, MTTC: 714 });
  });
});
