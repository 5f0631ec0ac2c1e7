import { toUtc } from './time.ts';
import type { NotRequired, Obligation, Recipient, Regime, Report } from './types.ts';

/** Version of the rule set: the research date of reference/regulatory.md it implements. */
export const RULESET_VERSION = '2026-11-29';

/** A rule: one report of one regime to one recipient kind, with its citation and version. */
export interface Rule {
  readonly id: string;
  readonly regime: Regime;
  readonly report: Report;
  readonly recipient: Recipient;
  readonly citation: string;
  readonly version: string;
}

/** An exclusion rule: why a regime needs no report, with its citation and version. */
export interface ExclusionRule {
  readonly id: string;
  readonly citation: string;
  readonly version: string;
}

export function rule(
  id: string,
  regime: Regime,
  report: Report,
  recipient: Recipient,
  citation: string,
  version = RULESET_VERSION,
): Rule {
  return { id, regime, report, recipient, citation, version };
}

export function exclusion(id: string, citation: string, version = RULESET_VERSION): ExclusionRule {
  return { id, citation, version };
}

export interface ObligationInput {
  due: number | null;
  clockStart: number;
  dueRule: string;
  recipientName?: string | undefined;
  basis?: string | undefined;
}

/** Builds an output obligation from a rule. */
export function obligation(r: Rule, input: ObligationInput): Obligation {
  const o: Obligation = {
    regime: r.regime,
    report: r.report,
    recipient: r.recipient,
    ...(input.recipientName ? { recipientName: input.recipientName } : {}),
    due: input.due === null ? null : toUtc(input.due),
    dueRule: input.dueRule,
    basis: input.basis ?? r.citation,
    clockStart: toUtc(input.clockStart),
  };
  return o;
}

export function notRequired(regime: Regime, reason: string, ex: ExclusionRule): NotRequired {
  return { regime, reason, basis: ex.citation };
}

/** What one regime family contributes for one entity. */
export interface RegimeOutcome {
  obligations: Obligation[];
  notRequired: NotRequired[];
}

export const EMPTY: RegimeOutcome = { obligations: [], notRequired: [] };

export function outcome(
  obligations: Obligation[] = [],
  excluded: NotRequired[] = [],
): RegimeOutcome {
  return { obligations, notRequired: excluded };
}
