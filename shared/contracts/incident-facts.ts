import { z } from 'zod';
import { EEA_STATE_CODES } from '#domain/regulatory/jurisdictions.ts';
import { isKnownTimeZone, parseInstant } from '#domain/regulatory/time.ts';
import {
  AI_HARMS,
  CARD_BRANDS,
  DATA_CATEGORIES,
  DATA_LOSS_PROPERTIES,
  ENTITY_KINDS,
  type IncidentFacts,
  RECIPIENTS,
  REGIME_PAIRS,
  REGIMES,
  REPORTS,
} from '#domain/regulatory/types.ts';

/**
 * IncidentFacts: zod mirror of ../shared/contracts/incident-facts.schema.json (JSON Schema
 * 2020-12; the JSON file is the authority). Input of `tourniquet obligations --facts FILE`.
 */

export const INCIDENT_FACTS_SCHEMA_ID = 'incident-facts.schema.json';

const COUNTRIES = [
  'AD',
  'AE',
  'AF',
  'AG',
  'AI',
  'AL',
  'AM',
  'AO',
  'AQ',
  'AR',
  'AS',
  'AT',
  'AU',
  'AW',
  'AX',
  'AZ',
  'BA',
  'BB',
  'BD',
  'BE',
  'BF',
  'BG',
  'BH',
  'BI',
  'BJ',
  'BL',
  'BM',
  'BN',
  'BO',
  'BQ',
  'BR',
  'BS',
  'BT',
  'BV',
  'BW',
  'BY',
  'BZ',
  'CA',
  'CC',
  'CD',
  'CF',
  'CG',
  'CH',
  'CI',
  'CK',
  'CL',
  'CM',
  'CN',
  'CO',
  'CR',
  'CU',
  'CV',
  'CW',
  'CX',
  'CY',
  'CZ',
  'DE',
  'DJ',
  'DK',
  'DM',
  'DO',
  'DZ',
  'EC',
  'EE',
  'EG',
  'EH',
  'ER',
  'ES',
  'ET',
  'FI',
  'FJ',
  'FK',
  'FM',
  'FO',
  'FR',
  'GA',
  'GB',
  'GD',
  'GE',
  'GF',
  'GG',
  'GH',
  'GI',
  'GL',
  'GM',
  'GN',
  'GP',
  'GQ',
  'GR',
  'GS',
  'GT',
  'GU',
  'GW',
  'GY',
  'HK',
  'HM',
  'HN',
  'HR',
  'HT',
  'HU',
  'ID',
  'IE',
  'IL',
  'IM',
  'IN',
  'IO',
  'IQ',
  'IR',
  'IS',
  'IT',
  'JE',
  'JM',
  'JO',
  'JP',
  'KE',
  'KG',
  'KH',
  'KI',
  'KM',
  'KN',
  'KP',
  'KR',
  'KW',
  'KY',
  'KZ',
  'LA',
  'LB',
  'LC',
  'LI',
  'LK',
  'LR',
  'LS',
  'LT',
  'LU',
  'LV',
  'LY',
  'MA',
  'MC',
  'MD',
  'ME',
  'MF',
  'MG',
  'MH',
  'MK',
  'ML',
  'MM',
  'MN',
  'MO',
  'MP',
  'MQ',
  'MR',
  'MS',
  'MT',
  'MU',
  'MV',
  'MW',
  'MX',
  'MY',
  'MZ',
  'NA',
  'NC',
  'NE',
  'NF',
  'NG',
  'NI',
  'NL',
  'NO',
  'NP',
  'NR',
  'NU',
  'NZ',
  'OM',
  'PA',
  'PE',
  'PF',
  'PG',
  'PH',
  'PK',
  'PL',
  'PM',
  'PN',
  'PR',
  'PS',
  'PT',
  'PW',
  'PY',
  'QA',
  'RE',
  'RO',
  'RS',
  'RU',
  'RW',
  'SA',
  'SB',
  'SC',
  'SD',
  'SE',
  'SG',
  'SH',
  'SI',
  'SJ',
  'SK',
  'SL',
  'SM',
  'SN',
  'SO',
  'SR',
  'SS',
  'ST',
  'SV',
  'SX',
  'SY',
  'SZ',
  'TC',
  'TD',
  'TF',
  'TG',
  'TH',
  'TJ',
  'TK',
  'TL',
  'TM',
  'TN',
  'TO',
  'TR',
  'TT',
  'TV',
  'TW',
  'TZ',
  'UA',
  'UG',
  'UM',
  'US',
  'UY',
  'UZ',
  'VA',
  'VC',
  'VE',
  'VG',
  'VI',
  'VN',
  'VU',
  'WF',
  'WS',
  'YE',
  'YT',
  'ZA',
  'ZM',
  'ZW',
] as const;
const US_REGIONS = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'DC',
  'PR',
  'GU',
  'VI',
  'AS',
  'MP',
] as const;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const TIMEZONE = /^(UTC|Etc\/[A-Za-z0-9+-]+|[A-Z][A-Za-z_-]+(\/[A-Z0-9][A-Za-z0-9_+-]*){1,2})$/;
const ANNEX = /^(I|III)(-[0-9]{1,2}(\([a-z]\))?)?$/;

const unique = <T>(items: T[]) => new Set(items).size === items.length;
const uniqueArray = <S extends z.ZodType>(item: S) =>
  z.array(item).refine(unique, { message: 'items must be unique (uniqueItems)' });

export const TimestampSchema = z
  .string()
  .regex(TIMESTAMP, 'must be an ISO 8601 date-time with seconds and an explicit offset')
  .refine((s) => !Number.isNaN(parseInstant(s)), 'must be a valid date-time');

export const TimezoneSchema = z
  .string()
  .regex(TIMEZONE, 'must be an IANA time-zone name')
  .refine(isKnownTimeZone, "must exist in the engine's tz database");

export const CountrySchema = z.enum(COUNTRIES);
export const EeaStateSchema = z.enum(EEA_STATE_CODES);
export const UsRegionSchema = z.enum(US_REGIONS);
export const RegimeSchema = z.enum(REGIMES);
export const ReportSchema = z.enum(REPORTS);
export const RecipientSchema = z.enum(RECIPIENTS);

export const EntitySchema = z.strictObject({
  name: z.string().min(1),
  kinds: uniqueArray(z.enum(ENTITY_KINDS)).min(1),
  country: CountrySchema,
  timezone: TimezoneSchema,
  competentAuthority: z.string().min(1).optional(),
  doraReliefDisapplied: z.boolean().optional(),
  gdpr: z
    .strictObject({
      mainEstablishment: EeaStateSchema.optional(),
      leadAuthority: z.string().min(1).optional(),
      representative: EeaStateSchema.optional(),
    })
    .optional(),
});

export const TimelineSchema = z.strictObject({
  awareAt: TimestampSchema,
  personalDataBreachAwareAt: TimestampSchema.optional(),
  processorAwareAt: TimestampSchema.optional(),
  deployerAwareAt: TimestampSchema.optional(),
  classifiedMajorAt: TimestampSchema.optional(),
  discoveredAt: TimestampSchema.optional(),
  determinedAt: TimestampSchema.optional(),
  materialityDeterminedAt: TimestampSchema.optional(),
  ransomPaidAt: TimestampSchema.optional(),
});

export const SubjectSchema = z
  .strictObject({
    country: CountrySchema,
    region: UsRegionSchema.optional(),
    count: z.int().min(0),
    controller: z.string().min(1).optional(),
  })
  .refine((s) => s.region === undefined || s.country === 'US', {
    message: 'region is allowed only with country US',
    path: ['country'],
  });

const percent = () => z.number().min(0).max(100);

export const DoraFactsSchema = z.strictObject({
  criticalServicesAffected: z.boolean().optional(),
  maliciousUnauthorisedAccess: z.boolean().optional(),
  clientsAffected: z.int().min(0).optional(),
  clientsAffectedPct: percent().optional(),
  financialCounterpartsAffectedPct: percent().optional(),
  transactionsAffectedPct: percent().optional(),
  reputationalImpact: z.boolean().optional(),
  durationHours: z.number().min(0).optional(),
  serviceDowntimeHours: z.number().min(0).optional(),
  memberStatesAffected: z.int().min(0).optional(),
  dataLosses: uniqueArray(z.enum(DATA_LOSS_PROPERTIES)).optional(),
  economicImpactEur: z.number().min(0).optional(),
  economicImpactFinal: z.boolean().optional(),
  recurring: z.boolean().optional(),
  ictRelated: z.boolean().optional(),
  paymentRelated: z.boolean().optional(),
  clientsFinancialInterestsImpacted: z.boolean().optional(),
});

export const AiIncidentSchema = z.strictObject({
  systemRole: z.enum(['provider', 'deployer']),
  highRisk: z.boolean(),
  annex: z.string().regex(ANNEX).optional(),
  harms: uniqueArray(z.enum(AI_HARMS)),
  widespread: z.boolean().optional(),
  memberStates: uniqueArray(EeaStateSchema).min(1),
});

export const PriorSubmissionSchema = z
  .strictObject({
    regime: RegimeSchema,
    report: ReportSchema,
    recipient: RecipientSchema.optional(),
    at: TimestampSchema,
  })
  .superRefine((s, ctx) => {
    const pair = REGIME_PAIRS[s.regime];
    if (!pair.reports.includes(s.report)) {
      ctx.addIssue({
        code: 'custom',
        path: ['report'],
        message: `report '${s.report}' is not allowed for ${s.regime}`,
      });
    }
    if (s.recipient !== undefined && !pair.recipients.includes(s.recipient)) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipient'],
        message: `recipient '${s.recipient}' is not allowed for ${s.regime}`,
      });
    }
  });

export const IncidentFactsSchema = z.strictObject({
  entity: EntitySchema,
  groupEntities: z.array(EntitySchema).optional(),
  timeline: TimelineSchema,
  subjects: z.array(SubjectSchema),
  dataCategories: uniqueArray(z.enum(DATA_CATEGORIES)),
  summary: z.string().optional(),
  riskToIndividuals: z.enum(['none', 'risk', 'high']).optional(),
  encryption: z
    .strictObject({ encrypted: z.boolean(), keyCompromised: z.boolean().optional() })
    .optional(),
  syntheticAssessment: z
    .strictObject({
      differentiallyPrivate: z.boolean().optional(),
      epsilon: z.number().min(0).optional(),
      nearCopiesPct: percent(),
      membershipInferenceAuc: z.number().min(0).max(1).optional(),
      reidentificationSucceeded: z.boolean(),
    })
    .optional(),
  dora: DoraFactsSchema.optional(),
  nis2: z
    .strictObject({
      significant: z.boolean().optional(),
      serviceRecipientsAffected: z.boolean().optional(),
    })
    .optional(),
  aiIncident: AiIncidentSchema.optional(),
  cardBrands: uniqueArray(z.enum(CARD_BRANDS)).min(1).optional(),
  operationalImpact: z
    .strictObject({
      materialDisruption: z.boolean().optional(),
      disruptionHours: z.number().min(0).optional(),
      ransomwareDeployed: z.boolean().optional(),
    })
    .optional(),
  priorSubmissions: z.array(PriorSubmissionSchema).optional(),
});

export type IncidentFactsInput = z.infer<typeof IncidentFactsSchema>;

/** Compile-time check: the parsed contract is assignable to the domain's IncidentFacts. */
export const toDomainFacts = (facts: IncidentFactsInput): IncidentFacts => facts;

/** First validation problem as `{ path, reason }` (path in JSON Pointer form, '' = document). */
export function firstIssue(error: z.ZodError): { path: string; reason: string } {
  const issue = error.issues[0];
  if (!issue) return { path: '', reason: 'invalid' };
  const path = issue.path.map((p) => `/${String(p)}`).join('');
  return { path, reason: issue.message };
}
