import type { AdyenManagement } from '#ports/adyen.ts';
import type {
  AccessKeyControl,
  DatasetQuarantine,
  SecretRotation,
  TrainingPipelineControl,
  WafLevers,
  WafRef,
} from '#ports/aws-levers.ts';
import type { MagentoDatabase, MagentoHost } from '#ports/magento.ts';
import type { MediaLeverPorts } from '#ports/media-containment.ts';
import type { StripeContainment } from '#ports/payment-gateway.ts';

/** What a lever knows about the incident: ids gathered from its alerts (never raw PII). */
export interface LeverTarget {
  incidentId: string;
  customerIds: string[];
  cardFingerprints: string[];
  paymentIntents: string[];
  /** Magento admin usernames, integration names, source IPs, datasets (s3://bucket/prefix). */
  adminUsers?: string[];
  integrations?: string[];
  ips?: string[];
  datasets?: string[];
  /** Flagged media (s3://bucket/key) and KYC application ids (deepfake playbook). */
  mediaObjects?: string[];
  applicants?: string[];
}

export interface LeverPorts {
  stripe?: StripeContainment;
  stripeKnownWebhookUrls: string[];
  stripeBlockListId: string;
  adyen?: AdyenManagement;
  adyenConfig?: {
    merchantId: string;
    /** Credentials in scope: id and the secret holding their key (to prove the old key fails). */
    credentials: Array<{ id: string; key?: () => Promise<string> }>;
    allowedOrigins: string[];
  };
  magentoDb?: MagentoDatabase;
  magentoHost?: MagentoHost;
  magentoConfig?: {
    paymentMethods: string[];
    maintenanceAllowIps: string[];
    /** Integrations never disabled (the responder's own, payment modules). */
    protectedIntegrations: string[];
  };
  waf?: WafLevers;
  wafConfig?: { ipSet: WafRef; webAcl: WafRef; rulePriority: number; exportPaths: string[] };
  datasets?: DatasetQuarantine;
  /** ARN of the incident-response role that keeps access to quarantined data. */
  breakGlassRoleArn?: string;
  pipelines?: TrainingPipelineControl;
  pipelineConfig?: {
    functions: string[];
    eventSourceMappings: string[];
    rules: Array<{ name: string; bus?: string }>;
    iamUsers: string[];
    secrets: string[];
  };
  accessKeys?: AccessKeyControl;
  secrets?: SecretRotation;
  /** The runtime clock (virtual on the local runtime). */
  now?: () => Date;
  /** Deepfake playbook levers (levers-media.ts). */
  media?: MediaLeverPorts;
}

export interface Verification {
  ok: boolean;
  detail: string;
}

/**
 * A containment lever: snapshot → act (idempotent) → verify → release (restores the snapshot).
 * `reversible: false` levers say so honestly (a cancelled PaymentIntent cannot be revived).
 */
export interface Lever<Pre = unknown, Res = unknown> {
  reversible: boolean;
  /**
   * The target list this lever acts on item by item (deepfake levers: flagged objects,
   * applicants). Such a lever acts only on the items its action record claimed (plan.ts), so
   * items that join the incident later are contained by incremental passes, each item once.
   */
  itemized?: 'mediaObjects' | 'applicants';
  snapshot(p: LeverPorts, t: LeverTarget): Promise<Pre>;
  act(p: LeverPorts, t: LeverTarget, pre: Pre): Promise<{ changed: number; result: Res }>;
  verify(p: LeverPorts, t: LeverTarget, pre: Pre, res: Res): Promise<Verification>;
  release(p: LeverPorts, t: LeverTarget, pre: Pre, res: Res): Promise<{ restored: number }>;
}

export const need = <T>(v: T | undefined, what: string): T => {
  if (!v) throw new Error(`${what} is not configured`);
  return v;
};
