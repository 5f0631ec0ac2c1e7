/**
 * Which restored records are media: a field holding an S3 URI (`s3://bucket/key`) or a path
 * inside a bucket (Magento's `catalog_product_entity_media_gallery.value`, relative to the catalog
 * prefix of the media bucket).
 */
export interface MediaRule {
  /** `magento:<table>`, `dynamodb:<table>`, or a kind (`dynamodb`) for every table of it. */
  location: string;
  field: string;
  /** Bucket of relative paths (absent: the deployment's media bucket). */
  bucket?: string;
  /** Key prefix of relative paths (e.g. `catalog/product`). */
  prefix?: string;
}

export interface MediaObjectRef {
  bucket: string;
  key: string;
}

/** The media object a restored record references, if a rule says it is media. */
export function mediaObjectOf(
  rec: { location: string; fields: Record<string, unknown> },
  rules: readonly MediaRule[],
  defaultBucket?: string,
): MediaObjectRef | 'unresolved' | undefined {
  const kind = rec.location.split(':')[0] ?? '';
  const rule =
    rules.find((r) => r.location === rec.location) ?? rules.find((r) => r.location === kind);
  if (!rule) return undefined;
  const raw = rec.fields[rule.field];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const v = raw.trim();
  const uri = /^s3:\/\/([^/]+)\/(.+)$/.exec(v);
  if (uri) return { bucket: uri[1]!, key: uri[2]! };
  const bucket = rule.bucket ?? defaultBucket;
  if (!bucket) return 'unresolved';
  const prefix = (rule.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const path = v.replace(/^\/+/, '');
  return { bucket, key: prefix ? `${prefix}/${path}` : path };
}

export const mediaUri = (o: MediaObjectRef) => `s3://${o.bucket}/${o.key}`;

const RANK: Record<string, number> = {
  clean: 0,
  unknown: 1,
  none: 2,
  synthetic: 3,
  'suspected-manipulation': 3,
};

/** The worse of two verdicts (null = no verdict, which blocks like a flagged one). */
export function worseVerdict(a: string | null | undefined, b: string | null | undefined) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const r = (v: string | null) => RANK[v ?? 'none'] ?? RANK.none!;
  return r(b) > r(a) ? b : a;
}
