import { type EntityContext, hasKind } from './context.ts';
import { exclusion, notRequired, obligation, outcome, type RegimeOutcome, rule } from './rule.ts';
import { addHours } from './time.ts';
import type { CardBrand } from './types.ts';

/**
 * PCI DSS v4.0.1 Req 12.10 and card-brand rules (reference §1, §2.7): acquirer and brands
 * immediately (Visa WTDIC), Mastercard ADC event report within 24 h and PFI engagement within 72 h.
 */

const V = 'PCI DSS v4.0.1; Visa WTDIC; Mastercard SRP ch. 10; reference 2026-11-29';

export const PCI_RULES = {
  notify: rule(
    'pci-notify',
    'PCI-CARD-BRANDS',
    'notification',
    'card-brands-and-acquirer',
    'PCI DSS v4.0.1 Req 12.10, 12.10.1; Visa What To Do If Compromised',
    V,
  ),
  mastercardAdc: rule(
    'pci-mastercard-adc',
    'PCI-CARD-BRANDS',
    'report',
    'card-brands-and-acquirer',
    'Mastercard Security Rules and Procedures ch. 10; Account Data Compromise User Guide',
    V,
  ),
  mastercardPfi: rule(
    'pci-mastercard-pfi',
    'PCI-CARD-BRANDS',
    'forensic-engagement',
    'card-brands-and-acquirer',
    'Mastercard Account Data Compromise User Guide (PFI engagement; sec.)',
    V,
  ),
} as const;

const EX = {
  noAccountData: exclusion(
    'pci-no-account-data',
    'PCI DSS v4.0.1 Req 12.10; Glossary "account data"',
  ),
} as const;

const BRAND_NAMES: Record<CardBrand, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
};

/** Account data are involved: full PAN affected, or brands named in the facts. */
function accountDataCompromised(ctx: EntityContext): boolean {
  return (
    ctx.facts.dataCategories.includes('payment-card-pan') || ctx.facts.cardBrands !== undefined
  );
}

/** PCI DSS and card brands for one entity. */
export function evaluatePci(ctx: EntityContext): RegimeOutcome[] {
  if (!hasKind(ctx.entity, 'pci-merchant', 'pci-service-provider')) return [];
  if (!accountDataCompromised(ctx)) {
    return [
      outcome(
        [],
        [
          notRequired(
            'PCI-CARD-BRANDS',
            'No cardholder account data (full PAN) suspected or confirmed compromised.',
            EX.noAccountData,
          ),
        ],
      ),
    ];
  }
  const brands = ctx.facts.cardBrands ?? ['visa', 'mastercard'];
  const aware = ctx.anchors.aware;
  const names = brands.map((b) => BRAND_NAMES[b]).join(', ');
  const obligations = [
    obligation(PCI_RULES.notify, {
      due: null,
      clockStart: aware,
      recipientName: `Acquirer and card brands (${names})`,
      dueRule: 'Immediately: respond to and notify the acquirer and card brands (no fixed period).',
    }),
  ];
  if (brands.includes('mastercard')) {
    obligations.push(
      obligation(PCI_RULES.mastercardAdc, {
        due: addHours(aware, 24),
        clockStart: aware,
        recipientName: 'Mastercard (via the acquirer)',
        dueRule: 'ADC event report within 24 h of becoming aware (elapsed hours).',
      }),
      obligation(PCI_RULES.mastercardPfi, {
        due: addHours(aware, 72),
        clockStart: aware,
        recipientName: 'Mastercard (via the acquirer)',
        dueRule: 'Engage a PCI Forensic Investigator within 72 h (elapsed hours).',
      }),
    );
  }
  return [outcome(obligations)];
}
