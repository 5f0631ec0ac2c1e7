import type { Classification, Severity } from './incident.ts';

export type AutonomyMode = 'approval-required' | 'contain-confirmed' | 'contain-suspected';

/** One containment step of a playbook: data, not code. */
export interface PlaybookAction {
  action: string; // lever id, e.g. stripe.cancel-open-payment-intents
  lever: 'gateway' | 'magento' | 'aws';
  autonomy: Partial<Record<Severity, AutonomyMode>> & { default: AutonomyMode };
}

export interface Playbook {
  id: string;
  version: string;
  classification: Classification;
  actions: PlaybookAction[];
}

const autoUnlessLow = { default: 'contain-suspected', P4: 'approval-required' } as const;

/** The registry. Selection is a pure lookup; state machines run `actions` as a Map. */
export const PLAYBOOKS: Record<Classification, Playbook> = {
  'payment-fraud': {
    id: 'payment-fraud',
    version: '2026.11.1',
    classification: 'payment-fraud',
    actions: [
      {
        action: 'stripe.disable-unknown-webhook-endpoints',
        lever: 'gateway',
        autonomy: autoUnlessLow,
      },
      { action: 'stripe.cancel-open-payment-intents', lever: 'gateway', autonomy: autoUnlessLow },
      { action: 'stripe.block-card-fingerprints', lever: 'gateway', autonomy: autoUnlessLow },
    ],
  },
  'pii-breach': {
    id: 'pii-breach',
    version: '2026.11.1',
    classification: 'pii-breach',
    actions: [],
  },
  'synthetic-data': {
    id: 'synthetic-data',
    version: '2026.11.1',
    classification: 'synthetic-data',
    actions: [],
  },
  'deepfake-media': {
    id: 'deepfake-media',
    version: '2026.11.1',
    classification: 'deepfake-media',
    actions: [],
  },
};

export function selectPlaybook(classification: Classification): Playbook {
  return PLAYBOOKS[classification];
}

export function autonomyFor(action: PlaybookAction, severity: Severity): AutonomyMode {
  return action.autonomy[severity] ?? action.autonomy.default;
}
