import { createHmac } from 'node:crypto';
import { worseVerdict } from './media-refs.ts';
import { markerMatches, type SyntheticRegistry } from './registry.ts';

/** One record of a restored data set, as read from the isolated copy. */
export interface RestoredRecord {
  /** `magento:<table>` or `dynamodb:<table>` or `s3:<bucket>`. */
  location: string;
  /** Primary key (column → value); ids only. */
  key: Record<string, string | number>;
  fields: Record<string, unknown>;
}

export type FindingKind = 'exposed' | 'synthetic-unregistered' | 'synthetic-registered' | 'media';

export interface ScanFinding {
  kind: FindingKind;
  location: string;
  key: Record<string, string | number>;
  /** Why: the fingerprint prefix, the source id or the media verdict (never the value). */
  reason: string;
  blocking: boolean;
  /** Exactly what to remove before promotion (statement or API call). */
  remove: string;
}

export interface ScanResult {
  scanned: number;
  blocked: boolean;
  findings: ScanFinding[];
  counts: Record<FindingKind, number>;
}

/** Fields hashed to recognise an exposed record, per location kind; normalised like the data map. */
export interface FingerprintRule {
  location: string;
  fields: string[];
}

/** Keyed HMAC-SHA256 over the normalised values of the rule's fields, joined by U+001F. */
export function fingerprint(key: string, values: unknown[]): string {
  const norm = values
    .map((v) =>
      String(v ?? '')
        .trim()
        .toLowerCase(),
    )
    .join('\u001f');
  return createHmac('sha256', key).update(norm).digest('hex');
}

export interface ScanInput {
  records: Iterable<RestoredRecord>;
  exposed: ReadonlySet<string>;
  fingerprintKey: string;
  fingerprintRules: FingerprintRule[];
  registry: SyntheticRegistry;
  /** Media verdicts of restored media objects, by location+key string (given by the caller). */
  mediaVerdicts?: ReadonlyMap<string, string>;
  /**
   * Restored records that reference media, by location+key string: the object and the verdict
   * check-media recorded for it (null: none, i.e. never checked or the object is missing).
   */
  media?: ReadonlyMap<string, { object: string; verdict: string | null }>;
}

/**
 * The recovery gate's scan: a restored record blocks promotion when its fingerprint is among the
 * records exposed in the incident, or when it carries synthetic markers outside every integration
 * point the registry allows for that source; media judged manipulated or synthetic blocks too.
 */
export function scanRestored(input: ScanInput): ScanResult {
  const findings: ScanFinding[] = [];
  let scanned = 0;
  const rules = new Map(input.fingerprintRules.map((r) => [r.location, r.fields]));
  for (const rec of input.records) {
    scanned++;
    const fields = rules.get(rec.location) ?? rules.get(rec.location.split(':')[0] ?? '');
    if (fields?.every((f) => rec.fields[f] !== undefined && rec.fields[f] !== null)) {
      const fp = fingerprint(
        input.fingerprintKey,
        fields.map((f) => rec.fields[f]),
      );
      if (input.exposed.has(fp))
        findings.push({
          kind: 'exposed',
          location: rec.location,
          key: rec.key,
          reason: `fingerprint ${fp.slice(0, 12)}… was exposed in the incident`,
          blocking: true,
          remove: removal(rec),
        });
    }
    const synthetic = syntheticSource(input.registry, rec);
    if (synthetic) findings.push(synthetic);
    const media = mediaFinding(rec, input);
    if (media) findings.push(media);
  }
  const counts = { exposed: 0, 'synthetic-unregistered': 0, 'synthetic-registered': 0, media: 0 };
  for (const f of findings) counts[f.kind]++;
  return { scanned, blocked: findings.some((f) => f.blocking), findings, counts };
}

const PASSING = new Set(['clean', 'unknown']);

/**
 * Restored media: a flagged verdict (synthetic, suspected manipulation) or none at all blocks;
 * `unknown` (no provenance) is listed; `clean` passes. The worse of the recorded and the given
 * verdict counts.
 */
function mediaFinding(rec: RestoredRecord, input: ScanInput): ScanFinding | undefined {
  const ref = recordRef(rec);
  const given = input.mediaVerdicts?.get(ref);
  const found = input.media?.get(ref);
  if (!found) {
    if (!given || given === 'clean') return undefined;
    return {
      kind: 'media',
      location: rec.location,
      key: rec.key,
      reason: `media verdict ${given}`,
      blocking: given === 'synthetic' || given === 'suspected-manipulation',
      remove: removal(rec),
    };
  }
  const verdict = worseVerdict(found.verdict, given) ?? null;
  if (verdict === 'clean') return undefined;
  return {
    kind: 'media',
    location: rec.location,
    key: rec.key,
    reason:
      verdict === null
        ? `media ${found.object} has no verdict (never checked by check-media, or the object is missing)`
        : `media ${found.object} verdict ${verdict}`,
    blocking: verdict === null || !PASSING.has(verdict),
    remove: removal(rec),
  };
}

function syntheticSource(reg: SyntheticRegistry, rec: RestoredRecord): ScanFinding | undefined {
  const [kind, name = ''] = splitLocation(rec.location);
  for (const s of reg.sources) {
    const m = s.markers.find((mk) => markerMatches(mk, rec.fields));
    if (!m) continue;
    const allowed =
      kind === 'magento'
        ? s.integrationPoints.magentoTables.includes(name)
        : kind === 'dynamodb'
          ? s.integrationPoints.tables.includes(logicalTable(name))
          : kind === 's3'
            ? s.integrationPoints.buckets.includes(name)
            : false;
    return {
      kind: allowed ? 'synthetic-registered' : 'synthetic-unregistered',
      location: rec.location,
      key: rec.key,
      reason: allowed
        ? `synthetic record of source ${s.id} in a registered integration point`
        : `synthetic record of source ${s.id} (marker ${m.column}) outside its integration points (${[...s.integrationPoints.magentoTables, ...s.integrationPoints.tables, ...s.integrationPoints.buckets].join(', ') || 'none'})`,
      blocking: !allowed,
      remove: removal(rec),
    };
  }
  const m = reg.unregisteredMarkers.find((mk) => markerMatches(mk, rec.fields));
  if (!m) return undefined;
  return {
    kind: 'synthetic-unregistered',
    location: rec.location,
    key: rec.key,
    reason: `synthetic marker ${m.column} from no registered source`,
    blocking: true,
    remove: removal(rec),
  };
}

/**
 * The logical name of a restored DynamoDB table: isolated restores are named
 * `<source>-restore-<id>` (isolatedTargetName), the registry lists the source's name.
 */
export function logicalTable(name: string): string {
  return name.replace(/-restore-[a-z0-9]{1,12}$/, '');
}

const splitLocation = (loc: string): [string, string] => {
  const i = loc.indexOf(':');
  return [loc.slice(0, i), loc.slice(i + 1)];
};

export function recordRef(rec: Pick<RestoredRecord, 'location' | 'key'>): string {
  return `${rec.location}#${Object.entries(rec.key)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

const sqlIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;
const sqlValue = (v: string | number) =>
  typeof v === 'number' ? String(v) : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The exact removal: a DELETE for Magento rows, a DeleteItem key for DynamoDB, an object key for S3. */
export function removal(rec: Pick<RestoredRecord, 'location' | 'key'>): string {
  const [kind, name] = splitLocation(rec.location);
  if (kind === 'magento')
    return `DELETE FROM ${sqlIdent(name)} WHERE ${Object.entries(rec.key)
      .map(([k, v]) => `${sqlIdent(k)} = ${sqlValue(v)}`)
      .join(' AND ')};`;
  if (kind === 'dynamodb')
    // the restored copy's own name (never the source); single quotes escaped for the shell
    return `aws dynamodb delete-item --table-name ${name} --key '${JSON.stringify(
      Object.fromEntries(
        Object.entries(rec.key).map(([k, v]) => [
          k,
          typeof v === 'number' ? { N: String(v) } : { S: v },
        ]),
      ),
    ).replace(/'/g, `'\\''`)}'`;
  return `aws s3api delete-object --bucket ${name} --key ${String(Object.values(rec.key)[0])}`;
}
