import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  type DrillExpectation,
  type DrillScore,
  drillSummary,
  emptyScore,
  expectationFor,
  scoreDrill,
} from '#domain/drill/score.ts';
import type { ReportObligation } from '#domain/report/model.ts';
import type { IncidentReport } from '#use-cases/report.ts';
import { obligationsFromTimeline, renderReport } from '#use-cases/report-render.ts';
import type { Scenario } from './scenario.ts';

/** The part of a DrillResult (drill.ts) that scoring reads and updates. */
export interface ScorableResult {
  report?: IncidentReport;
  failures: string[];
  passed: boolean;
  /** The regulator workflow's own obligation records (filled by regulatory-drill.ts). */
  obligations?: {
    items?: Array<{
      regime: string;
      report: string;
      recipient: string;
      due: string | null;
      status: string;
    }>;
  };
  notifications?: Array<{ regime: string; report: string; recipient: string; sentAt: string }>;
  /** When the regulator workflow drafted its notices (from its own store). */
  regulatorDraftsAt?: string[];
}

export const DRILL_REPORTS_DIR = path.resolve(import.meta.dirname, '..', '..', 'drill-reports');

/**
 * After a drill: scores it against the scenario's expectations and pass criteria (clocks from the
 * recorded timeline), and writes its report (Markdown + HTML) under drill-reports/.
 */
export function finishDrill(
  result: ScorableResult,
  scenario: Scenario,
  storefront: 'up' | 'down',
  generatedAt: string,
  dir = DRILL_REPORTS_DIR,
): { score: DrillScore; files: string[] } {
  // the storefront mode's expectations (expectDown with the storefront down), so the score and
  // the report compare against what this mode must do
  const expect: DrillExpectation = expectationFor(scenario, storefront);
  const report = result.report;
  const fromTimeline = report ? obligationsFromTimeline(report) : [];
  // the regulator workflow keeps its obligations in its own table; the drill hands them over
  const obligations: ReportObligation[] = fromTimeline.length
    ? fromTimeline
    : (result.obligations?.items ?? []).map((o) => {
        const sent = result.notifications?.find(
          (n) => n.regime === o.regime && n.report === o.report && n.recipient === o.recipient,
        );
        return {
          regime: o.regime,
          report: o.report,
          recipient: o.recipient,
          due: o.due,
          status: o.status,
          ...(sent ? { sentAt: sent.sentAt } : {}),
        };
      });
  const score = report
    ? scoreDrill(
        scenario.name,
        storefront,
        expect,
        { ...report, obligations, generatedAt, regulatorDraftsAt: result.regulatorDraftsAt },
        result.failures,
      )
    : emptyScore(scenario.name, storefront, expect, result.failures);
  result.failures = score.failures;
  result.passed = score.passed;
  const files: string[] = [];
  if (report) {
    const rendered = renderReport(report, {
      obligations,
      generatedAt,
      drill: drillSummary(score),
    });
    mkdirSync(dir, { recursive: true });
    const base = path.join(
      dir,
      `${scenario.name}${storefront === 'down' ? '.storefront-down' : ''}`,
    );
    writeFileSync(`${base}.md`, rendered.markdown);
    writeFileSync(`${base}.html`, rendered.html);
    files.push(`${base}.md`, `${base}.html`);
  }
  return { score, files };
}
