import type { Classification, Severity } from './incident.ts';

/**
 * - `contain-confirmed`: act at once, no approval (the compromise is confirmed).
 * - `contain-suspected`: ask for approval; if nobody answers in time, contain anyway (default: act).
 * - `approval-required`: ask for approval; if nobody answers in time, do not act and escalate.
 */
export type AutonomyMode = 'approval-required' | 'contain-confirmed' | 'contain-suspected';

/** Containment branches run in parallel; the actions of one branch run in order. */
export type Branch = 'gateway' | 'magento' | 'aws' | 'media';

/** One containment step of a playbook: data, not code. */
export interface PlaybookAction {
  action: string; // lever id, e.g. stripe.cancel-open-payment-intents
  lever: Branch;
  autonomy: Partial<Record<Severity, AutonomyMode>> & { default: AutonomyMode };
}

export interface Playbook {
  id: string;
  version: string;
  classification: Classification;
  actions: PlaybookAction[];
}

/** The approval gate each autonomy mode implies: timeout and what happens when it elapses. */
export interface ApprovalPolicy {
  required: boolean;
  timeoutSeconds: number;
  onTimeout: 'proceed' | 'escalate';
}

export const APPROVAL_POLICY: Record<AutonomyMode, ApprovalPolicy> = {
  'contain-confirmed': { required: false, timeoutSeconds: 0, onTimeout: 'proceed' },
  'contain-suspected': { required: true, timeoutSeconds: 15 * 60, onTimeout: 'proceed' },
  'approval-required': { required: true, timeoutSeconds: 4 * 3600, onTimeout: 'escalate' },
};

const autoUnlessLow = {
  default: 'contain-suspected',
  P1: 'contain-confirmed',
  P4: 'approval-required',
} as const;
const confirmedAtP1 = {
  default: 'contain-suspected',
  P1: 'contain-confirmed',
  P3: 'approval-required',
  P4: 'approval-required',
} as const;
const alwaysAsk = { default: 'approval-required' } as const;
const act = (
  action: string,
  lever: Branch,
  autonomy: PlaybookAction['autonomy'],
): PlaybookAction => ({
  action,
  lever,
  autonomy,
});

/** The registry. Selection is a pure lookup; the `respond` state machine runs the branches in parallel. */
export const PLAYBOOKS: Record<Classification, Playbook> = {
  'payment-fraud': {
    id: 'payment-fraud',
    version: '2026.11.2',
    classification: 'payment-fraud',
    actions: [
      act('stripe.disable-unknown-webhook-endpoints', 'gateway', autoUnlessLow),
      act('stripe.cancel-open-payment-intents', 'gateway', autoUnlessLow),
      act('stripe.block-card-fingerprints', 'gateway', autoUnlessLow),
      act('adyen.deactivate-api-credentials', 'gateway', confirmedAtP1),
      act('adyen.restrict-allowed-origins', 'gateway', confirmedAtP1),
      act('magento.disable-payment-method', 'magento', alwaysAsk),
    ],
  },
  'pii-breach': {
    id: 'pii-breach',
    version: '2026.11.1',
    classification: 'pii-breach',
    actions: [
      act('aws.waf-block-admin-export', 'aws', autoUnlessLow),
      act('magento.deactivate-admin-users', 'magento', confirmedAtP1),
      act('magento.revoke-oauth-tokens', 'magento', autoUnlessLow),
      act('magento.revoke-jwt', 'magento', autoUnlessLow),
      act('magento.disable-integrations', 'magento', confirmedAtP1),
      act('magento.clean-api-cache', 'magento', autoUnlessLow),
      act('magento.maintenance-enable', 'magento', alwaysAsk),
    ],
  },
  'synthetic-data': {
    id: 'synthetic-data',
    version: '2026.11.1',
    classification: 'synthetic-data',
    actions: [
      act('aws.quarantine-dataset', 'aws', autoUnlessLow),
      act('aws.stop-training-pipeline', 'aws', confirmedAtP1),
      act('aws.deactivate-access-keys', 'aws', confirmedAtP1),
      act('aws.rotate-secrets', 'aws', alwaysAsk),
    ],
  },
  'deepfake-media': {
    id: 'deepfake-media',
    version: '2026.11.1',
    classification: 'deepfake-media',
    // Levers: shared/use-cases/containment/levers-media.ts (MEDIA_LEVERS).
    actions: [
      act('media.quarantine-object', 'media', autoUnlessLow),
      act('media.disable-catalog-image', 'media', confirmedAtP1),
      act('kyc.hold-applicant', 'media', alwaysAsk),
    ],
  },
};

/**
 * Action records are keyed by playbook action (`media.quarantine-object`), or, for an
 * incremental containment pass over targets that joined later, `<action>#<12 hex>`.
 */
export function playbookActionOf(actionKey: string): string {
  return actionKey.split('#', 1)[0]!;
}

export function selectPlaybook(classification: Classification): Playbook {
  return PLAYBOOKS[classification];
}

export function autonomyFor(action: PlaybookAction, severity: Severity): AutonomyMode {
  return action.autonomy[severity] ?? action.autonomy.default;
}

/** Groups actions by branch, keeping the playbook order inside each branch. */
export function branchesOf<T extends { lever: Branch }>(
  actions: T[],
): Array<{ branch: Branch; actions: T[] }> {
  const out: Array<{ branch: Branch; actions: T[] }> = [];
  for (const a of actions) {
    const b = out.find((x) => x.branch === a.lever);
    if (b) b.actions.push(a);
    else out.push({ branch: a.lever, actions: [a] });
  }
  return out;
}
