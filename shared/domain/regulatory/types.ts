/**
 * Domain types of the regulatory obligations engine. They mirror
 * ../shared/contracts/incident-facts.schema.json (input) and obligations-result.schema.json
 * (output); shared/contracts/*.ts holds the zod schemas and is checked against these types.
 */

export const REGIMES = [
  'GDPR-33',
  'GDPR-34',
  'UK-GDPR-33',
  'UK-GDPR-34',
  'DORA-19',
  'DORA-19-CLIENTS',
  'DORA-23',
  'NIS2-23',
  'NIS2-23-RECIPIENTS',
  'EU-AI-ACT-73',
  'PCI-CARD-BRANDS',
  'NYDFS-500.17',
  'SEC-8K-1.05',
  'FTC-GLBA',
  'US-BANK-36H',
  'US-BANK-SERVICE-PROVIDER',
  'US-STATE-CA',
  'US-STATE-CO',
  'US-STATE-FL',
  'US-STATE-TX',
  'US-STATE-WA',
  'PSD2-96',
] as const;
export type Regime = (typeof REGIMES)[number];

export const REPORTS = [
  'notification',
  'communication',
  'early-warning',
  'initial',
  'intermediate',
  'final',
  'report',
  'extortion-payment-notice',
  'extortion-payment-description',
  '8-K',
  'forensic-engagement',
] as const;
export type Report = (typeof REPORTS)[number];

export const RECIPIENTS = [
  'supervisory-authority',
  'data-subjects',
  'financial-supervisor',
  'csirt',
  'market-surveillance-authority',
  'card-brands-and-acquirer',
  'nydfs',
  'sec',
  'ftc',
  'federal-banking-regulator',
  'bank-customers',
  'state-attorney-general',
  'state-regulator',
  'affected-residents',
  'clients',
  'service-recipients',
] as const;
export type Recipient = (typeof RECIPIENTS)[number];

const STATE_RECIPIENTS = [
  'affected-residents',
  'state-attorney-general',
  'state-regulator',
] as const;

/** Legal report/recipient pairs per regime (the allOf blocks of both schemas). */
export const REGIME_PAIRS: Readonly<
  Record<Regime, { reports: readonly Report[]; recipients: readonly Recipient[] }>
> = {
  'GDPR-33': { reports: ['notification'], recipients: ['supervisory-authority'] },
  'GDPR-34': { reports: ['communication'], recipients: ['data-subjects'] },
  'UK-GDPR-33': { reports: ['notification'], recipients: ['supervisory-authority'] },
  'UK-GDPR-34': { reports: ['communication'], recipients: ['data-subjects'] },
  'DORA-19': {
    reports: ['initial', 'intermediate', 'final'],
    recipients: ['financial-supervisor'],
  },
  'DORA-19-CLIENTS': { reports: ['communication'], recipients: ['clients'] },
  'DORA-23': {
    reports: ['initial', 'intermediate', 'final'],
    recipients: ['financial-supervisor'],
  },
  'NIS2-23': {
    reports: ['early-warning', 'notification', 'intermediate', 'final'],
    recipients: ['csirt'],
  },
  'NIS2-23-RECIPIENTS': { reports: ['communication'], recipients: ['service-recipients'] },
  'EU-AI-ACT-73': { reports: ['initial', 'final'], recipients: ['market-surveillance-authority'] },
  'PCI-CARD-BRANDS': {
    reports: ['notification', 'report', 'forensic-engagement'],
    recipients: ['card-brands-and-acquirer'],
  },
  'NYDFS-500.17': {
    reports: ['notification', 'extortion-payment-notice', 'extortion-payment-description'],
    recipients: ['nydfs'],
  },
  'SEC-8K-1.05': { reports: ['8-K'], recipients: ['sec'] },
  'FTC-GLBA': { reports: ['notification'], recipients: ['ftc'] },
  'US-BANK-36H': { reports: ['notification'], recipients: ['federal-banking-regulator'] },
  'US-BANK-SERVICE-PROVIDER': { reports: ['notification'], recipients: ['bank-customers'] },
  'US-STATE-CA': { reports: ['notification'], recipients: STATE_RECIPIENTS },
  'US-STATE-CO': { reports: ['notification'], recipients: STATE_RECIPIENTS },
  'US-STATE-FL': { reports: ['notification'], recipients: STATE_RECIPIENTS },
  'US-STATE-TX': { reports: ['notification'], recipients: STATE_RECIPIENTS },
  'US-STATE-WA': { reports: ['notification'], recipients: STATE_RECIPIENTS },
  'PSD2-96': {
    reports: ['notification', 'communication'],
    recipients: ['financial-supervisor', 'clients'],
  },
};

export const DATA_CATEGORIES = [
  'contact',
  'postal-address',
  'date-of-birth',
  'order-history',
  'credentials',
  'payment-card-pan',
  'payment-card-masked',
  'bank-account',
  'financial-transactions',
  'government-id',
  'kyc-status',
  'kyc-media',
  'biometric-template',
  'health',
  'synthetic-anonymous',
  'synthetic-memorised',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const ENTITY_KINDS = [
  'credit-institution',
  'e-money-institution',
  'payment-institution',
  'ny-licensed-money-transmitter',
  'us-nonbank-financial-institution',
  'sec-registrant',
  'us-bank',
  'bank-service-provider',
  'nis2-essential',
  'nis2-important',
  'pci-merchant',
  'pci-service-provider',
  'ai-provider',
  'ai-deployer',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const AI_HARMS = [
  'death',
  'serious-health',
  'critical-infrastructure',
  'fundamental-rights',
  'property-or-environment',
] as const;
export type AiHarm = (typeof AI_HARMS)[number];

export const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'jcb'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

export const DATA_LOSS_PROPERTIES = [
  'availability',
  'authenticity',
  'integrity',
  'confidentiality',
] as const;
export type DataLossProperty = (typeof DATA_LOSS_PROPERTIES)[number];

/** ISO 8601 instant with an explicit offset, as given in the facts. */
export type Timestamp = string;

export interface GdprEstablishment {
  mainEstablishment?: string | undefined;
  leadAuthority?: string | undefined;
  representative?: string | undefined;
}

export interface Entity {
  name: string;
  kinds: EntityKind[];
  country: string;
  timezone: string;
  competentAuthority?: string | undefined;
  doraReliefDisapplied?: boolean | undefined;
  gdpr?: GdprEstablishment | undefined;
}

export interface Timeline {
  awareAt: Timestamp;
  personalDataBreachAwareAt?: Timestamp | undefined;
  processorAwareAt?: Timestamp | undefined;
  deployerAwareAt?: Timestamp | undefined;
  classifiedMajorAt?: Timestamp | undefined;
  discoveredAt?: Timestamp | undefined;
  determinedAt?: Timestamp | undefined;
  materialityDeterminedAt?: Timestamp | undefined;
  ransomPaidAt?: Timestamp | undefined;
}

export interface Subject {
  country: string;
  region?: string | undefined;
  count: number;
  controller?: string | undefined;
}

export interface Encryption {
  encrypted: boolean;
  keyCompromised?: boolean | undefined;
}

export interface SyntheticAssessment {
  differentiallyPrivate?: boolean | undefined;
  epsilon?: number | undefined;
  nearCopiesPct: number;
  membershipInferenceAuc?: number | undefined;
  reidentificationSucceeded: boolean;
}

export interface DoraFacts {
  criticalServicesAffected?: boolean | undefined;
  maliciousUnauthorisedAccess?: boolean | undefined;
  clientsAffected?: number | undefined;
  clientsAffectedPct?: number | undefined;
  financialCounterpartsAffectedPct?: number | undefined;
  transactionsAffectedPct?: number | undefined;
  reputationalImpact?: boolean | undefined;
  durationHours?: number | undefined;
  serviceDowntimeHours?: number | undefined;
  memberStatesAffected?: number | undefined;
  dataLosses?: DataLossProperty[] | undefined;
  economicImpactEur?: number | undefined;
  economicImpactFinal?: boolean | undefined;
  recurring?: boolean | undefined;
  ictRelated?: boolean | undefined;
  paymentRelated?: boolean | undefined;
  clientsFinancialInterestsImpacted?: boolean | undefined;
}

export interface Nis2Facts {
  significant?: boolean | undefined;
  serviceRecipientsAffected?: boolean | undefined;
}

export interface AiIncident {
  systemRole: 'provider' | 'deployer';
  highRisk: boolean;
  annex?: string | undefined;
  harms: AiHarm[];
  widespread?: boolean | undefined;
  memberStates: string[];
}

export interface OperationalImpact {
  materialDisruption?: boolean | undefined;
  disruptionHours?: number | undefined;
  ransomwareDeployed?: boolean | undefined;
}

export interface PriorSubmission {
  regime: Regime;
  report: Report;
  recipient?: Recipient | undefined;
  at: Timestamp;
}

export interface IncidentFacts {
  entity: Entity;
  groupEntities?: Entity[] | undefined;
  timeline: Timeline;
  subjects: Subject[];
  dataCategories: DataCategory[];
  summary?: string | undefined;
  riskToIndividuals?: 'none' | 'risk' | 'high' | undefined;
  encryption?: Encryption | undefined;
  syntheticAssessment?: SyntheticAssessment | undefined;
  dora?: DoraFacts | undefined;
  nis2?: Nis2Facts | undefined;
  aiIncident?: AiIncident | undefined;
  cardBrands?: CardBrand[] | undefined;
  operationalImpact?: OperationalImpact | undefined;
  priorSubmissions?: PriorSubmission[] | undefined;
}

/** UTC instant with a Z suffix. */
export type UtcInstant = string;

export interface Obligation {
  regime: Regime;
  report: Report;
  recipient: Recipient;
  recipientName?: string | undefined;
  due: UtcInstant | null;
  dueRule: string;
  basis: string;
  clockStart: UtcInstant;
}

export interface NotRequired {
  regime: Regime;
  reason: string;
  basis: string;
}

export interface ObligationsResult {
  obligations: Obligation[];
  notRequired: NotRequired[];
}
