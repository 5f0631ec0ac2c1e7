import { countWhere, type EntityContext, hasKind } from './context.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { addCalendarDays, addHours } from './time.ts';

/**
 * US federal: FTC Safeguards Rule notice (16 CFR 314.4(j)), the bank 36-hour rule and the bank
 * service-provider duty (12 CFR 53, 225 subpt N, 304 subpt C) (reference §1, §2.10, §2.11).
 */

export const US_FEDERAL_RULES = {
  ftc: rule(
    'ftc-glba-314.4j',
    'FTC-GLBA',
    'notification',
    'ftc',
    '16 CFR 314.4(j), 314.2; 88 FR 77499',
    '88 FR 77499 (eff. 2024-05-13); reference 2026-11-29',
  ),
  bank36h: rule(
    'us-bank-36h',
    'US-BANK-36H',
    'notification',
    'federal-banking-regulator',
    '12 CFR 53.3; 12 CFR 225.302; 12 CFR 304.23; 86 FR 66424',
    '86 FR 66424 (eff. 2022-04-01); reference 2026-11-29',
  ),
  bankServiceProvider: rule(
    'us-bank-service-provider',
    'US-BANK-SERVICE-PROVIDER',
    'notification',
    'bank-customers',
    '12 CFR 53.4; 12 CFR 225.303; 12 CFR 304.24',
    '86 FR 66424 (eff. 2022-04-01); reference 2026-11-29',
  ),
} as const;

const EX = {
  ftcNoData: exclusion(
    'ftc-no-customer-information',
    '16 CFR 314.2 ("notification event"), 314.4(j)',
  ),
  ftcEncrypted: exclusion(
    'ftc-encrypted',
    '16 CFR 314.2 ("notification event": unencrypted customer information)',
  ),
  ftcThreshold: exclusion('ftc-below-500', '16 CFR 314.4(j)(1) (at least 500 consumers)'),
  bankNoIncident: exclusion('us-bank-no-notification-incident', '12 CFR 53.2(b)(7), 53.3'),
  bspNoDisruption: exclusion('us-bank-sp-no-disruption', '12 CFR 53.4'),
} as const;

export const FTC_THRESHOLD = 500;

function ftc(ctx: EntityContext): RegimeOutcome {
  const no = (reason: string, ex: typeof EX.ftcNoData) =>
    outcome([], [notRequired('FTC-GLBA', reason, ex)]);
  if (!ctx.personalData.personal) {
    return no(
      ctx.personalData.involved ? ctx.personalData.reason : 'No customer information affected.',
      EX.ftcNoData,
    );
  }
  if (ctx.encryptedSafeHarbour)
    return no('Customer information was encrypted and the key was not accessed.', EX.ftcEncrypted);
  const consumers = countWhere(ctx.subjects, () => true);
  if (consumers < FTC_THRESHOLD) {
    return no(`${consumers} consumers affected, fewer than ${FTC_THRESHOLD}.`, EX.ftcThreshold);
  }
  const start = ctx.anchors.discovered;
  const due = addCalendarDays(start, 30, ctx.entity.timezone);
  return outcome([
    obligation(US_FEDERAL_RULES.ftc, {
      due,
      clockStart: start,
      recipientName: 'FTC (online form)',
      dueRule: `As soon as possible and no later than 30 days after discovery (${consumers} consumers >= ${FTC_THRESHOLD}); earlier of the same local clock time 30 days later and 30 x 24 h.`,
    }),
  ]);
}

function bank36h(ctx: EntityContext): RegimeOutcome {
  if (ctx.facts.operationalImpact?.materialDisruption !== true) {
    return outcome(
      [],
      [
        notRequired(
          'US-BANK-36H',
          'No notification incident: banking operations not materially disrupted or degraded.',
          EX.bankNoIncident,
        ),
      ],
    );
  }
  const start = ctx.anchors.determined;
  return outcome([
    obligation(US_FEDERAL_RULES.bank36h, {
      due: addHours(start, 36),
      clockStart: start,
      recipientName: ctx.entity.competentAuthority ?? 'Primary federal regulator (OCC/FRB/FDIC)',
      dueRule:
        'As soon as possible and no later than 36 h after determining a notification incident (elapsed hours).',
    }),
  ]);
}

function bankServiceProvider(ctx: EntityContext): RegimeOutcome {
  const hours = ctx.facts.operationalImpact?.disruptionHours ?? 0;
  if (hours < 4) {
    return outcome(
      [],
      [
        notRequired(
          'US-BANK-SERVICE-PROVIDER',
          `Covered services not materially disrupted for 4 hours or more (${hours} h).`,
          EX.bspNoDisruption,
        ),
      ],
    );
  }
  return outcome([
    obligation(US_FEDERAL_RULES.bankServiceProvider, {
      due: null,
      clockStart: ctx.anchors.determined,
      recipientName: 'Each affected banking-organisation customer',
      dueRule: `As soon as possible (no fixed period); material disruption of covered services for ${hours} h >= 4 h.`,
    }),
  ]);
}

/** FTC, bank and bank service-provider duties for one entity. */
export function evaluateUsFederal(ctx: EntityContext): RegimeOutcome[] {
  const out: RegimeOutcome[] = [];
  if (hasKind(ctx.entity, 'us-nonbank-financial-institution')) out.push(ftc(ctx));
  if (hasKind(ctx.entity, 'us-bank')) out.push(bank36h(ctx));
  if (hasKind(ctx.entity, 'bank-service-provider')) out.push(bankServiceProvider(ctx));
  return out;
}
