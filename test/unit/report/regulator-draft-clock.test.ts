import { describe, expect, it } from 'vitest';
import { incidentClocks } from '#domain/report/metrics.ts';

const base = {
  incident: { openedAt: '2026-11-29T10:00:00.000Z' },
  alerts: [{ occurredAt: '2026-11-29T09:59:00.000Z', receivedAt: '2026-11-29T09:59:30.000Z' }],
  timeline: [{ type: 'incident.declared', at: '2026-11-29T10:00:00.000Z', data: {} }],
} as unknown as Parameters<typeof incidentClocks>[0];

describe('time to first regulator draft', () => {
  it('is null when no draft exists anywhere', () => {
    expect(incidentClocks(base).firstRegulatorDraftSeconds).toBeNull();
  });

  it("uses the regulator workflow's own draft times (kept apart from the responder timeline)", () => {
    const c = incidentClocks({
      ...base,
      regulatorDraftsAt: ['2026-11-29T10:05:00.000Z', '2026-11-29T10:02:30.000Z'],
    });
    expect(c.firstRegulatorDraftSeconds).toBe(150);
  });

  it('takes the earliest of a timeline draft and the workflow drafts', () => {
    const c = incidentClocks({
      ...base,
      timeline: [
        ...base.timeline,
        {
          type: 'notification.drafted',
          at: '2026-11-29T10:01:00.000Z',
          data: { audience: 'regulator' },
        },
      ],
      regulatorDraftsAt: ['2026-11-29T10:02:30.000Z'],
    } as Parameters<typeof incidentClocks>[0]);
    expect(c.firstRegulatorDraftSeconds).toBe(60);
  });
});
