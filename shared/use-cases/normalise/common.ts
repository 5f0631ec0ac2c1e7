import { type Alert, AlertSchema } from '#contracts/alert.ts';
import { shortId } from '#domain/pii-hash.ts';

export type Severity = Alert['severityHint'];
export type Keys = Alert['correlationKeys'];

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0
    ? v
    : typeof v === 'number' && Number.isFinite(v)
      ? String(v)
      : undefined;

export const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** An id safe for correlation keys (bounded, no odd characters). */
export const id = (v: unknown): string | undefined => {
  const s = str(v);
  return s ? shortId(s) : undefined;
};

/** Parses JSON; undefined when the bytes are not JSON (the caller answers 400). */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** ISO time from a string or epoch value; `fallback` when missing or unparsable. */
export function isoTime(v: unknown, fallback: Date): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const ms = v > 1e12 ? v : v * 1000;
    const d = new Date(ms);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  if (typeof v === 'string' && v.length <= 64) {
    // "2020-02-21 13:23:19" (Magento, Sumsub) is UTC without a zone designator.
    const t =
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(v) && !/[zZ+]/.test(v.slice(10))
        ? `${v.replace(' ', 'T')}Z`
        : v;
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return fallback.toISOString();
}

/** Drops empty arrays and undefined values so the strict schema sees only real keys. */
export function keys(k: Record<string, string | string[] | undefined>): Keys {
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(k)) {
    if (Array.isArray(v)) {
      const vals = [...new Set(v.filter((x) => typeof x === 'string' && x.length > 0))];
      if (vals.length > 0) out[name] = vals;
    } else if (typeof v === 'string' && v.length > 0) out[name] = v;
  }
  return out as Keys;
}

export interface AlertDraft {
  alertId: string;
  source: Alert['source'];
  kind: string;
  severityHint: Severity;
  occurredAt: string;
  receivedAt: Date;
  sourceEventId: string;
  summary: string;
  correlationKeys: Keys;
  evidence: Alert['evidence'];
  drill: boolean;
}

/** Builds and validates the versioned alert (the schema is the last gate before the bus). */
export function makeAlert(d: AlertDraft): Alert {
  return AlertSchema.parse({
    schemaVersion: 1,
    alertId: d.alertId.length <= 200 ? d.alertId : `${d.source}:${shortId(d.alertId)}`,
    source: d.source,
    kind: d.kind,
    severityHint: d.severityHint,
    occurredAt: d.occurredAt,
    receivedAt: d.receivedAt.toISOString(),
    sourceEventId: d.sourceEventId.slice(0, 200),
    summary: d.summary.slice(0, 500),
    correlationKeys: d.correlationKeys,
    evidence: d.evidence,
    drill: d.drill,
  });
}

/** One-line reasons never echo more than a short, printable fragment of the input. */
export const fragment = (v: unknown) =>
  String(v)
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 80);
