import type { Classification } from './incident.ts';

/** Alert kinds are `family.detail`; the family decides the classification (ordered rules). */
const RULES: ReadonlyArray<{ prefix: string; classification: Classification }> = [
  { prefix: 'payment.', classification: 'payment-fraud' },
  { prefix: 'dataset.', classification: 'synthetic-data' },
  { prefix: 'media.', classification: 'deepfake-media' },
  { prefix: 'magento.', classification: 'pii-breach' },
  { prefix: 'scanner.', classification: 'pii-breach' },
  { prefix: 'kyc.', classification: 'deepfake-media' },
];

export function classifyAlertKind(kind: string): Classification {
  return RULES.find((r) => kind.startsWith(r.prefix))?.classification ?? 'pii-breach';
}
