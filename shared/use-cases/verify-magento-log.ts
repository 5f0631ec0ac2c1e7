import type { Alert } from '#contracts/alert.ts';
import { verifyStripeSignature } from '#domain/webhooks/stripe-signature.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import {
  fragment,
  id,
  isoTime,
  keys,
  makeAlert,
  obj,
  parseJson,
  type Severity,
  str,
} from './normalise/common.ts';

/** The log shipper signs like Stripe: `t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>`. */
export const MAGENTO_LOG_SIGNATURE_HEADER = 'x-tourniquet-signature';
export const MAGENTO_LOG_MAX_RECORDS = 500;

/** magento_logging_event.ip is a bigint (IPv4 as an integer); strings pass through if IP-shaped. */
export function logIp(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 0xffffffff)
    return [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
  if (typeof v === 'string' && /^\d{1,10}$/.test(v)) return logIp(Number(v));
  return typeof v === 'string' && /^[0-9a-fA-F.:]{2,45}$/.test(v) ? v : undefined;
}

export interface MagentoLogConfig {
  secret: string;
  drill: boolean;
  /** True the first time an admin is seen from an IP (used when the shipper sends no `new_ip`). */
  firstSeen: (key: string) => Promise<boolean>;
}

type Found = { deliveryId: string; kind: string; severity: Severity; summary: string } & {
  at: unknown;
  keys: Alert['correlationKeys'];
};

const exportEntity = (s: string | undefined) =>
  s && /^[a-z_]{1,64}$/.test(s) ? `magento-export:${s}` : undefined;

/**
 * JSON batches from a log shipper on the Magento host:
 * `{ batchId, instance, records: [{ type: admin_action | queue_message | oauth_token |
 * integration | admin_login, … }] }`. Each signal record becomes one alert, deduplicated by its
 * row id; an unknown record type rejects the batch (the shipper is ours: fail loudly).
 */
export function magentoLogVerifier(cfg: MagentoLogConfig) {
  return async (
    req: WebhookRequest,
    evidence: Alert['evidence'],
    now: Date,
  ): Promise<VerifyOutcome> => {
    const check = verifyStripeSignature(
      req.rawBody,
      req.headers[MAGENTO_LOG_SIGNATURE_HEADER],
      cfg.secret,
      Math.floor(now.getTime() / 1000),
    );
    if (!check.ok) return { kind: 'reject', statusCode: 401, reason: `signature ${check.reason}` };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    const records = obj(json).records;
    if (!Array.isArray(records) || records.length > MAGENTO_LOG_MAX_RECORDS)
      return {
        kind: 'reject',
        statusCode: 422,
        reason: `records must be an array of at most ${MAGENTO_LOG_MAX_RECORDS}`,
      };
    const found: Found[] = [];
    for (const [n, raw] of records.entries()) {
      const r = obj(raw);
      const type = str(r.type);
      const f = await classify(type, r, cfg);
      if (f === 'unknown')
        return {
          kind: 'reject',
          statusCode: 422,
          reason: `record ${n}: unknown event type ${fragment(type)}`,
        };
      if (f === 'invalid')
        return { kind: 'reject', statusCode: 422, reason: `record ${n}: ${type} without its id` };
      if (f) found.push(f);
    }
    if (found.length === 0) return { kind: 'ignored', reason: 'no signal in batch' };
    return {
      kind: 'alerts',
      items: found.map((f) => ({
        deliveryId: f.deliveryId,
        alert: makeAlert({
          alertId: `magento-log:${f.deliveryId}`,
          source: 'magento-log',
          kind: f.kind,
          severityHint: f.severity,
          occurredAt: isoTime(f.at, now),
          receivedAt: now,
          sourceEventId: f.deliveryId,
          summary: f.summary,
          correlationKeys: f.keys,
          evidence,
          drill: cfg.drill,
        }),
      })),
    };
  };
}

async function classify(
  type: string | undefined,
  r: Record<string, unknown>,
  cfg: MagentoLogConfig,
): Promise<Found | undefined | 'unknown' | 'invalid'> {
  const admin = id(r.user_id);
  const ip = logIp(r.ip);
  switch (type) {
    case 'admin_action': {
      const logId = id(r.log_id);
      if (!logId) return 'invalid';
      const action = str(r.action);
      const full = str(r.fullaction) ?? '';
      if (action !== 'export' && !/export/i.test(full)) return undefined;
      if (str(r.status) === 'failure') return undefined;
      return {
        deliveryId: `admin_action:${logId}`,
        kind: 'magento.export',
        severity: 'high',
        summary: `Admin export ${fragment(full || str(r.event_code) || 'unknown')}`,
        at: r.time,
        keys: keys({
          adminUser: admin ? `magento:${admin}` : undefined,
          ip,
          dataset: exportEntity(str(r.event_code)),
        }),
      };
    }
    case 'queue_message': {
      const msgId = id(r.id ?? r.message_id);
      if (!msgId) return 'invalid';
      if (str(r.topic_name) !== 'import_export.export') return undefined;
      let body: Record<string, unknown> = {};
      try {
        body = obj(typeof r.body === 'string' ? JSON.parse(r.body) : r.body);
      } catch {
        body = {};
      }
      return {
        deliveryId: `queue_message:${msgId}`,
        kind: 'magento.export-queued',
        severity: 'high',
        summary: `Export job queued (${fragment(str(body.entity) ?? 'entity unknown')})`,
        at: r.created_at,
        keys: keys({ dataset: exportEntity(str(body.entity)) }),
      };
    }
    case 'oauth_token': {
      const tokenId = id(r.entity_id);
      if (!tokenId) return 'invalid';
      const userType = Number(r.user_type);
      if (userType !== 1 && userType !== 2) return undefined; // customer tokens are routine
      const integration = id(r.integration_id ?? r.consumer_id);
      const adminId = id(r.admin_id ?? r.user_id);
      return {
        deliveryId: `oauth_token:${tokenId}`,
        kind: 'magento.token-created',
        severity: userType === 1 ? 'high' : 'medium',
        summary: `New ${userType === 1 ? 'integration' : 'admin'} API token`,
        at: r.created_at,
        keys: keys({
          integration: integration ? `magento:${integration}` : undefined,
          adminUser: userType === 2 && adminId ? `magento:${adminId}` : undefined,
        }),
      };
    }
    case 'integration': {
      const integration = id(r.integration_id);
      if (!integration) return 'invalid';
      return {
        deliveryId: `integration:${integration}:${fragment(r.updated_at ?? r.created_at ?? '')}`,
        kind: 'magento.integration-changed',
        severity: 'high',
        summary: `Integration created or changed (status ${fragment(r.status ?? '?')})`,
        at: r.updated_at ?? r.created_at,
        keys: keys({ integration: `magento:${integration}` }),
      };
    }
    case 'admin_login': {
      if (!admin || !ip) return 'invalid';
      const isNew =
        typeof r.new_ip === 'boolean' ? r.new_ip : await cfg.firstSeen(`admin-ip:${admin}:${ip}`);
      if (!isNew) return undefined;
      return {
        deliveryId: `admin_login:${admin}:${ip}:${fragment(r.time ?? '')}`,
        kind: 'magento.admin-login-new-ip',
        severity: 'medium',
        summary: 'Admin login from a new IP address',
        at: r.time,
        keys: keys({ adminUser: `magento:${admin}`, ip }),
      };
    }
    default:
      return 'unknown';
  }
}
