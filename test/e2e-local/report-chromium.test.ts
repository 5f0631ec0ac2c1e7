import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChart } from '#domain/report/chart.ts';
import { renderHtml } from '#domain/report/html.ts';
import { fixtureReport } from '../unit/report/fixture.ts';

/**
 * Looks at the HTML report in a real browser: Debian's headless Chromium takes a screenshot and the
 * test finds the chart in the pixels (the dashed due lines), then checks the marks are drawn where
 * the chart geometry puts them. No Chromium = a failure with the reason, never a skip.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), 'tq-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
const near = (png: PNG, x: number, y: number, colour: string, tol = 40) => {
  const i = (png.width * y + x) << 2;
  const [r, g, b] = hex(colour);
  return (
    Math.abs(png.data[i]! - r!) +
      Math.abs(png.data[i + 1]! - g!) +
      Math.abs(png.data[i + 2]! - b!) <=
    tol
  );
};

describe('HTML report in headless Chromium', () => {
  it('renders the incident chart (screenshot check)', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH; this test does not skip`,
      );
    const input = fixtureReport();
    const htmlFile = path.join(work, 'report.html');
    const pngFile = path.join(work, 'shot.png');
    writeFileSync(htmlFile, renderHtml(input));
    await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${path.join(work, 'profile')}`,
        '--window-size=1200,1400',
        `--screenshot=${pngFile}`,
        `file://${htmlFile}`,
      ],
      { timeout: 60_000 },
    );
    const png = PNG.sync.read(readFileSync(pngFile));
    expect(png.width).toBe(1200);

    // Find the chart: columns holding a long dashed run of the due-line blue.
    const g = buildChart(input);
    const plotH = g.plot.y1 - g.plot.y0;
    const dueCols: Array<{ x: number; top: number; n: number }> = [];
    for (let x = 0; x < png.width; x++) {
      let n = 0;
      let top = -1;
      for (let y = 0; y < png.height; y++)
        if (near(png, x, y, '#1864ab', 30) || near(png, x, y, '#c92a2a', 30)) {
          if (top < 0) top = y;
          if (y - top <= plotH) n++;
        }
      if (n >= plotH * 0.45) dueCols.push({ x, top, n });
    }
    expect(dueCols.length, 'no dashed due lines found: the chart did not render').toBeGreaterThan(
      0,
    );
    // GDPR's due (72 h) ends the axis: its line is the right-most one, at plot.x1.
    const right = dueCols.at(-1)!;
    const gdpr = g.dues.find((d) => d.label.startsWith('GDPR'))!;
    const ox = right.x - Math.round(gdpr.x) + 1; // 2-px stroke centred on x
    const oy = right.top - g.plot.y0;
    expect(Math.abs(ox - 24) <= 12, `chart left offset ${ox}`).toBe(true);

    // Every mark not covered by a later one is drawn in its colour at its geometric position.
    const colour: Record<string, string> = {
      alert: '#d9480f',
      incident: '#5f3dc4',
      ok: '#2b8a3e',
      failed: '#c92a2a',
      wait: '#e67700',
      sent: '#1864ab',
    };
    let checked = 0;
    g.marks.forEach((m, i) => {
      const covered = g.marks
        .slice(i + 1)
        .some((o) => o.lane === m.lane && Math.abs(o.x - m.x) < 14);
      if (covered || !colour[m.kind]) return;
      const px = Math.round(ox + m.x);
      const py = Math.round(oy + m.y);
      expect(near(png, px, py, colour[m.kind]!), `${m.label} at ${px},${py}`).toBe(true);
      checked++;
    });
    expect(checked).toBeGreaterThanOrEqual(5);
    // And the plot is not blank: non-background pixels across the lanes.
    let ink = 0;
    for (let y = oy + g.plot.y0; y < oy + g.plot.y1; y++)
      for (let x = ox + g.plot.x0; x < ox + g.plot.x1; x++)
        if (!near(png, x, y, '#ffffff', 12)) ink++;
    expect(ink).toBeGreaterThan(2000);
  });
});
