import type { Alert } from '#contracts/alert.ts';
import { verifyHexHmac } from '#domain/webhooks/hmac-digest.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import {
  id,
  isoTime,
  keys,
  makeAlert,
  obj,
  parseJson,
  type Severity,
  str,
} from './normalise/common.ts';

export const ECOMSCAN_SIGNATURE_HEADER = 'x-ecomscan-signature';

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

function findingSeverity(f: Record<string, unknown>): { severity: Severity; malware: boolean } {
  const text = `${str(f.type) ?? ''} ${str(f.category) ?? ''} ${str(f.rule) ?? ''}`.toLowerCase();
  const malware = /skimmer|malware|backdoor|webshell|card ?stealer|injected/.test(text);
  const given = (str(f.severity) ?? '').toLowerCase();
  const severity: Severity = malware
    ? 'critical'
    : given in RANK
      ? (given as Severity)
      : /vuln|outdated|cve/.test(text)
        ? 'medium'
        : 'low';
  return { severity, malware };
}

/**
 * Sansec eComscan findings, delivered through a webhook with a shared secret: header
 * `x-ecomscan-signature` = hex HMAC-SHA256 of the raw body. Body:
 * `{ id, site, created_at, findings: [{ type, severity, path, rule }] }`; one alert per scan.
 */
export function ecomscanVerifier(cfg: { secret: string; drill: boolean }) {
  return (req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    if (!verifyHexHmac(req.rawBody, req.headers[ECOMSCAN_SIGNATURE_HEADER], cfg.secret))
      return { kind: 'reject', statusCode: 401, reason: 'signature no-match' };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    const body = obj(json);
    const scanId = id(body.id ?? body.scan_id);
    const findings = body.findings;
    if (!scanId || !Array.isArray(findings) || findings.length > 10_000)
      return { kind: 'reject', statusCode: 422, reason: 'not an eComscan report (id, findings)' };
    if (findings.length === 0)
      return { kind: 'ignored', reason: 'no findings', deliveryId: scanId };
    let worst: Severity = 'low';
    let malware = 0;
    for (const f of findings) {
      const s = findingSeverity(obj(f));
      if (RANK[s.severity] > RANK[worst]) worst = s.severity;
      if (s.malware) malware++;
    }
    const site = str(body.site ?? body.host);
    return {
      kind: 'alert',
      deliveryId: scanId,
      alert: makeAlert({
        alertId: `ecomscan:${scanId}`,
        source: 'ecomscan',
        kind: malware > 0 ? 'scanner.malware' : 'scanner.vulnerability',
        severityHint: worst,
        occurredAt: isoTime(body.created_at ?? body.time, now),
        receivedAt: now,
        sourceEventId: scanId,
        summary: `eComscan: ${findings.length} finding(s), ${malware} malware`,
        correlationKeys: keys({
          storefront: site && /^[A-Za-z0-9.-]{1,253}$/.test(site) ? site.toLowerCase() : undefined,
        }),
        evidence,
        drill: cfg.drill,
      }),
    };
  };
}
