import { describe, expect, it } from 'vitest';
import { buildChart, LANES } from '#domain/report/chart.ts';
import { renderHtml } from '#domain/report/html.ts';
import { renderMarkdown } from '#domain/report/markdown.ts';
import { incidentClocks } from '#domain/report/metrics.ts';
import { fixtureReport, PLANTED } from './fixture.ts';

describe('report renderers', () => {
  const input = fixtureReport();

  it('renders Markdown without personal data (snapshot)', () => {
    const md = renderMarkdown(input);
    for (const p of PLANTED) expect(md).not.toContain(p);
    expect(md).toContain('verified (11 entries)');
    expect(md).toContain('[email]');
    expect(md).toMatchSnapshot();
  });

  it('renders self-contained, escaped HTML without personal data (snapshot)', () => {
    const html = renderHtml(input);
    for (const p of PLANTED) expect(html).not.toContain(p);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain('<svg');
    expect(html).toMatchSnapshot();
  });

  it('says when the hash chain is broken', () => {
    const tampered = fixtureReport();
    tampered.timeline[2] = { ...tampered.timeline[2]!, summary: 'edited' };
    const md = renderMarkdown({
      ...tampered,
      verification: { verified: false, entries: 11, brokenAt: 3, reason: 'hash mismatch' },
    });
    expect(md).toContain('BROKEN at entry 3 (hash mismatch');
  });

  it('lays the chart out: monotonic time, marks in their lanes, inside the plot, dues as lines', () => {
    const g = buildChart(input);
    expect(g.lanes.map((l) => l.lane)).toEqual([...LANES]);
    for (const m of g.marks) {
      expect(m.x).toBeGreaterThanOrEqual(g.plot.x0);
      expect(m.x).toBeLessThanOrEqual(g.plot.x1);
      expect(m.y).toBe(g.lanes.find((l) => l.lane === m.lane)!.y);
    }
    const xs = g.marks.map((m) => m.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(g.marks.filter((m) => m.lane === 'Alerts')).toHaveLength(1);
    expect(g.marks.filter((m) => m.lane === 'Approvals').map((m) => m.kind)).toEqual([
      'wait',
      'ok',
    ]);
    expect(g.marks.find((m) => m.kind === 'failed')?.lane).toBe('Containment');
    // the latest due time (GDPR, 72 h) ends the axis; the DORA 4 h due lies before it
    const gdpr = g.dues.find((d) => d.label.startsWith('GDPR'))!;
    const dora = g.dues.find((d) => d.label.startsWith('DORA'))!;
    expect(gdpr.x).toBe(g.plot.x1);
    expect(dora.x).toBeLessThan(gdpr.x);
    expect(gdpr.met).toBe(true);
    expect(gdpr.marginSeconds).toBe(2 * 86400 + 3600 + 6);
    expect(dora.met).toBe(false); // not sent, and the report is generated after the due time
    expect(g.ticks[0]).toEqual({ x: g.plot.x0, label: '0s' });
    expect(g.ticks.at(-1)!.x).toBe(g.plot.x1);
  });

  it('derives the incident clocks from the timeline', () => {
    expect(incidentClocks(input)).toEqual({
      detectSeconds: 66,
      classifySeconds: 25,
      containSeconds: 714,
      firstRegulatorDraftSeconds: 3594,
      approvalsWaitedOn: 1,
      stepsEscalated: 0,
      stepsFailed: 1,
    });
  });
});
