import { countWhere, type EntityContext, mainEstablishment } from './context.ts';
import { dataProtectionAuthority, EEA_STATES } from './jurisdictions.ts';
import {
  exclusion,
  notRequired,
  obligation,
  outcome,
  type RegimeOutcome,
  type Rule,
  rule,
} from './rule.ts';
import { addHours } from './time.ts';
import type { NotRequired, Obligation, Regime } from './types.ts';

/** GDPR Arts 33/34 and UK GDPR Arts 33/34 (reference §1, §2.1, §2.2, §5). */

export const GDPR_RULES = {
  art33Lead: rule(
    'gdpr-33-lead-sa',
    'GDPR-33',
    'notification',
    'supervisory-authority',
    'GDPR Art 33(1),(3)-(5); lead supervisory authority per Art 56(1); EDPB Guidelines 9/2022',
  ),
  art33Residence: rule(
    'gdpr-33-sa-of-residence',
    'GDPR-33',
    'notification',
    'supervisory-authority',
    'GDPR Art 33(1),(3)-(5), Art 3(2), Art 55; EDPB Guidelines 9/2022 para 73 (no one-stop-shop without an EU establishment)',
  ),
  art34: rule('gdpr-34', 'GDPR-34', 'communication', 'data-subjects', 'GDPR Art 34(1),(2)'),
  uk33: rule(
    'uk-gdpr-33',
    'UK-GDPR-33',
    'notification',
    'supervisory-authority',
    'UK GDPR Art 33(1),(3)-(5); ICO guidance',
  ),
  uk34: rule('uk-gdpr-34', 'UK-GDPR-34', 'communication', 'data-subjects', 'UK GDPR Art 34(1),(2)'),
} as const;

const EX = {
  anonymous: exclusion(
    'gdpr-anonymous-synthetic',
    'GDPR Art 4(1), Recital 26; EDPB Opinion 28/2024',
  ),
  unlikelyRisk: exclusion('gdpr-33-unlikely-risk', 'GDPR Art 33(1),(5)'),
  notHigh: exclusion('gdpr-34-not-high', 'GDPR Art 34(1)'),
  encrypted: exclusion('gdpr-34-encrypted', 'GDPR Art 34(3)(a)'),
  ukAnonymous: exclusion('uk-gdpr-anonymous-synthetic', 'UK GDPR Art 4(1), Recital 26'),
  ukUnlikelyRisk: exclusion('uk-gdpr-33-unlikely-risk', 'UK GDPR Art 33(1),(5)'),
  ukNotHigh: exclusion('uk-gdpr-34-not-high', 'UK GDPR Art 34(1)'),
  ukEncrypted: exclusion('uk-gdpr-34-encrypted', 'UK GDPR Art 34(3)(a)'),
} as const;

const DUE_RULE_33 =
  'Without undue delay and where feasible within 72 hours of awareness (elapsed hours; no weekend or holiday relief).';
const DUE_RULE_34 = 'Without undue delay (no fixed period); likely high risk to individuals.';

function risk(ctx: EntityContext): 'none' | 'risk' | 'high' {
  return ctx.facts.riskToIndividuals ?? 'high';
}

/** GDPR applies: EU/EEA establishment (Art 3(1)) or EU/EEA residents affected (Art 3(2)). */
function gdprApplies(ctx: EntityContext): boolean {
  if (mainEstablishment(ctx.entity)) return true;
  return countWhere(ctx.subjects, (s) => EEA_STATES.has(s.country)) > 0;
}

function ukGdprApplies(ctx: EntityContext): boolean {
  return ctx.entity.country === 'GB' || countWhere(ctx.subjects, (s) => s.country === 'GB') > 0;
}

function residenceStates(ctx: EntityContext): string[] {
  const states = new Set<string>();
  for (const s of ctx.subjects) if (EEA_STATES.has(s.country) && s.count > 0) states.add(s.country);
  return [...states].sort();
}

function gdpr33(ctx: EntityContext): Obligation[] {
  const start = ctx.anchors.personalDataAware;
  const due = addHours(start, 72);
  const lead = mainEstablishment(ctx.entity);
  if (lead) {
    const name = ctx.entity.gdpr?.leadAuthority ?? dataProtectionAuthority(lead);
    return [
      obligation(GDPR_RULES.art33Lead, {
        due,
        clockStart: start,
        dueRule: DUE_RULE_33,
        recipientName: name,
      }),
    ];
  }
  return residenceStates(ctx).map((state) =>
    obligation(GDPR_RULES.art33Residence, {
      due,
      clockStart: start,
      dueRule: `${DUE_RULE_33} No EU/EEA main establishment: every SA where affected data subjects reside (${state}).`,
      recipientName: dataProtectionAuthority(state),
    }),
  );
}

interface Art34Variant {
  rule: Rule;
  regime: Regime;
  notHigh: typeof EX.notHigh;
  encrypted: typeof EX.encrypted;
}

function art34(ctx: EntityContext, v: Art34Variant): Obligation | NotRequired {
  const level = risk(ctx);
  if (level !== 'high') {
    return notRequired(
      v.regime,
      `Risk to individuals assessed as '${level}', not high.`,
      v.notHigh,
    );
  }
  if (ctx.encryptedSafeHarbour) {
    return notRequired(
      v.regime,
      'Affected data were encrypted and the key was not compromised: communication not required.',
      v.encrypted,
    );
  }
  return obligation(v.rule, {
    due: null,
    clockStart: ctx.anchors.personalDataAware,
    dueRule: DUE_RULE_34,
  });
}

function split(items: (Obligation | NotRequired)[]): RegimeOutcome {
  const obligations: Obligation[] = [];
  const excluded: NotRequired[] = [];
  for (const i of items) {
    if ('reason' in i) excluded.push(i);
    else obligations.push(i);
  }
  return outcome(obligations, excluded);
}

function euGdpr(ctx: EntityContext): RegimeOutcome {
  if (!ctx.personalData.personal) {
    const reason = ctx.personalData.reason;
    return outcome(
      [],
      [notRequired('GDPR-33', reason, EX.anonymous), notRequired('GDPR-34', reason, EX.anonymous)],
    );
  }
  const c34 = art34(ctx, {
    rule: GDPR_RULES.art34,
    regime: 'GDPR-34',
    notHigh: EX.notHigh,
    encrypted: EX.encrypted,
  });
  if (risk(ctx) === 'none') {
    const n33 = notRequired(
      'GDPR-33',
      'Breach assessed as unlikely to result in a risk to individuals; document it under Art 33(5).',
      EX.unlikelyRisk,
    );
    return split([n33, c34]);
  }
  return split([...gdpr33(ctx), c34]);
}

function ukGdpr(ctx: EntityContext): RegimeOutcome {
  if (!ctx.personalData.personal) {
    const reason = ctx.personalData.reason;
    return outcome(
      [],
      [
        notRequired('UK-GDPR-33', reason, EX.ukAnonymous),
        notRequired('UK-GDPR-34', reason, EX.ukAnonymous),
      ],
    );
  }
  const c34 = art34(ctx, {
    rule: GDPR_RULES.uk34,
    regime: 'UK-GDPR-34',
    notHigh: EX.ukNotHigh,
    encrypted: EX.ukEncrypted,
  });
  if (risk(ctx) === 'none') {
    const n33 = notRequired(
      'UK-GDPR-33',
      'Breach assessed as unlikely to result in a risk to individuals; document it under Art 33(5).',
      EX.ukUnlikelyRisk,
    );
    return split([n33, c34]);
  }
  const start = ctx.anchors.personalDataAware;
  const o33 = obligation(GDPR_RULES.uk33, {
    due: addHours(start, 72),
    clockStart: start,
    dueRule: `${DUE_RULE_33} Weekends and bank holidays count (ICO).`,
    recipientName: 'ICO',
  });
  return split([o33, c34]);
}

/** GDPR and UK GDPR for one entity; silent when no personal data or no territorial link. */
export function evaluateGdpr(ctx: EntityContext): RegimeOutcome[] {
  if (!ctx.personalData.involved) return [];
  const results: RegimeOutcome[] = [];
  if (gdprApplies(ctx)) results.push(euGdpr(ctx));
  if (ukGdprApplies(ctx)) results.push(ukGdpr(ctx));
  return results;
}
