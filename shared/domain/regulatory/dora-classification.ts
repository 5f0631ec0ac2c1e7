import type { DoraFacts } from './types.ts';

/**
 * Major-incident classification of Commission Delegated Regulation (EU) 2024/1772:
 * Art 8(1) = critical services affected (Art 6) and either (a) successful malicious unauthorised
 * access that may result in data losses (Art 9(5)(b)) or (b) two or more of the other criteria of
 * Art 9(1)-(6) met. Thresholds are strict ("higher than", "exceed").
 */
export const DORA_CLASSIFICATION_CITATION = 'Del. Reg. (EU) 2024/1772 Arts 6, 8, 9';
export const DORA_CLASSIFICATION_VERSION = '2024/1772 OJ L 2024-06-25; reference 2026-11-29';

export interface DoraClassification {
  major: boolean;
  /** Art 9 criteria met, e.g. "9(1) clients". */
  criteriaMet: string[];
  explanation: string;
}

function clientsCriterion(d: DoraFacts): boolean {
  return (
    (d.clientsAffectedPct ?? 0) > 10 ||
    (d.clientsAffected ?? 0) > 100_000 ||
    (d.financialCounterpartsAffectedPct ?? 0) > 30 ||
    (d.transactionsAffectedPct ?? 0) > 10
  );
}

function durationCriterion(d: DoraFacts): boolean {
  return (d.durationHours ?? 0) > 24 || (d.serviceDowntimeHours ?? 0) > 2;
}

/** Art 9(6): > EUR 100,000; an estimate (not final) of >= 100,000 is "likely to exceed". */
function economicCriterion(d: DoraFacts): boolean {
  const eur = d.economicImpactEur ?? 0;
  return d.economicImpactFinal === true ? eur > 100_000 : eur >= 100_000;
}

/** The Art 9 criteria other than 9(5)(b) that are met. */
export function otherCriteriaMet(d: DoraFacts): string[] {
  const met: string[] = [];
  if (clientsCriterion(d)) met.push('9(1) clients, counterparts and transactions');
  if (d.reputationalImpact === true) met.push('9(2) reputational impact');
  if (durationCriterion(d)) met.push('9(3) duration and service downtime');
  if ((d.memberStatesAffected ?? 0) >= 2) met.push('9(4) geographical spread');
  if ((d.dataLosses ?? []).length > 0) met.push('9(5)(a) data losses');
  if (economicCriterion(d)) met.push('9(6) economic impact');
  return met;
}

export function classifyDora(d: DoraFacts): DoraClassification {
  const criteriaMet = otherCriteriaMet(d);
  if (d.criticalServicesAffected !== true) {
    return {
      major: false,
      criteriaMet,
      explanation: 'No critical services affected (Art 6 gate of Art 8(1) not met).',
    };
  }
  if (d.maliciousUnauthorisedAccess === true) {
    return {
      major: true,
      criteriaMet: ['9(5)(b) successful malicious unauthorised access', ...criteriaMet],
      explanation:
        'Critical services affected and successful malicious unauthorised access (Art 8(1)(a)).',
    };
  }
  const major = criteriaMet.length >= 2;
  const list = criteriaMet.length > 0 ? criteriaMet.join('; ') : 'none';
  return {
    major,
    criteriaMet,
    explanation: major
      ? `Critical services affected and ${criteriaMet.length} Art 9 criteria met (${list}) (Art 8(1)(b)).`
      : `Critical services affected but fewer than two Art 9 criteria met (${list}).`,
  };
}
