import type { Alert } from '#contracts/alert.ts';
import { hashEmail } from '#domain/pii-hash.ts';
import { type AlertDraft, id, type Keys, keys, obj, type Severity, str } from './common.ts';

/**
 * Adobe Commerce event names (observer./plugin. events, as sent by Adobe I/O Events and by
 * Commerce webhooks) → alert kind. Ordered: the first matching rule wins. Events not listed are
 * legitimate subscriptions that are not leak signals (answered 200, no alert).
 */
const RULES: ReadonlyArray<{ test: RegExp; kind: string; severity: Severity; what: string }> = [
  { test: /export/, kind: 'magento.export', severity: 'high', what: 'data export' },
  {
    test: /oauth_token|integration_token|admin_token|token_create|user_token/,
    kind: 'magento.token-created',
    severity: 'high',
    what: 'API token issued',
  },
  {
    test: /integration/,
    kind: 'magento.integration-changed',
    severity: 'high',
    what: 'integration changed',
  },
  {
    test: /admin_user_authenticate|admin_login|backend_auth_user_login/,
    kind: 'magento.admin-login',
    severity: 'medium',
    what: 'admin login',
  },
  {
    test: /admin_user_save|authorization_role_save|admin_user_delete/,
    kind: 'magento.admin-user-changed',
    severity: 'high',
    what: 'admin account changed',
  },
  {
    test: /customer_delete/,
    kind: 'magento.customer-deleted',
    severity: 'medium',
    what: 'customer deleted',
  },
];

/** Known Commerce events that are not leak signals by themselves. */
const BENIGN =
  /customer_(save|login|logout|register|address|group)|sales_order|checkout_|catalog_|cart|quote|inventory|cms_|newsletter|store_|theme_/;

export function commerceEventName(type: string): string | undefined {
  const m = /^(?:com\.adobe\.commerce\.)?((?:observer|plugin)\.[A-Za-z0-9_.]{1,200})$/.exec(type);
  return m?.[1];
}

export type CommerceMapping =
  | { kind: 'signal'; spec: (typeof RULES)[number] }
  | { kind: 'benign' }
  | { kind: 'unknown' };

export function mapCommerceEvent(eventName: string): CommerceMapping {
  const spec = RULES.find((r) => r.test.test(eventName));
  if (spec) return { kind: 'signal', spec };
  return BENIGN.test(eventName) ? { kind: 'benign' } : { kind: 'unknown' };
}

/** Ids and hashes from a Commerce event payload (`data.value` for I/O events, `data` for webhooks). */
export function commerceKeys(value: Record<string, unknown>, pepper?: string): Keys {
  const email = str(value.email);
  const isAdmin = value.user_id !== undefined && value.customer_id === undefined;
  const customer = id(value.customer_id) ?? (isAdmin ? undefined : id(value.entity_id ?? value.id));
  const admin = id(value.user_id ?? value.admin_id) ?? id(value.username_hash);
  const integration = id(value.integration_id ?? value.consumer_id);
  const order = id(value.increment_id ?? value.order_id);
  const ip = str(value.remote_ip ?? value.ip);
  return keys({
    customerIds: customer ? [`magento:${customer}`] : undefined,
    emailHashes: email ? [hashEmail(email, pepper)] : undefined,
    adminUser: admin ? `magento:${admin}` : undefined,
    integration: integration ? `magento:${integration}` : undefined,
    orderIds: order ? [`magento:${order}`] : undefined,
    ip: ip && /^[0-9a-fA-F.:]{2,45}$/.test(ip) ? ip : undefined,
  });
}

export interface CommerceAlertInput {
  source: Alert['source'];
  eventName: string;
  spec: (typeof RULES)[number];
  eventId: string;
  occurredAt: string;
  value: Record<string, unknown>;
  receivedAt: Date;
  evidence: Alert['evidence'];
  drill: boolean;
  pepper?: string;
}

export function commerceAlertDraft(i: CommerceAlertInput): AlertDraft {
  return {
    alertId: `${i.source}:${i.eventId}`,
    source: i.source,
    kind: i.spec.kind,
    severityHint: i.spec.severity,
    occurredAt: i.occurredAt,
    receivedAt: i.receivedAt,
    sourceEventId: i.eventId,
    summary: `Adobe Commerce ${i.spec.what} (${i.eventName.slice(0, 120)})`,
    correlationKeys: commerceKeys(obj(i.value), i.pepper),
    evidence: i.evidence,
    drill: i.drill,
  };
}
