import { createHash } from 'node:crypto';
import { canaryScore } from '#domain/media/verdict.ts';
import type { MediaCheck } from '#ports/media-check.ts';
import type { MediaObjects } from '#ports/media-objects.ts';

export interface CanaryDeps {
  media: MediaCheck;
  objects: MediaObjects;
  /** Emits metrics (CloudWatch EMF in Lambda). */
  metrics: (values: Record<string, number>) => void;
}

export interface CanaryManifestEntry {
  key: string;
  expected: 'synthetic' | 'genuine';
  purpose?: 'kyc-selfie' | 'kyc-document' | 'catalog';
}

/**
 * Runs the classifier over the canary set (known synthetic and known genuine images listed in
 * `<prefix>manifest.json`) without tagging or alerting, and publishes precision and recall.
 */
export async function runCanary(deps: CanaryDeps, input: { bucket: string; prefix: string }) {
  const manifest = JSON.parse(
    Buffer.from(await deps.objects.get(input.bucket, `${input.prefix}manifest.json`)).toString(
      'utf8',
    ),
  ) as { items: CanaryManifestEntry[] };
  const results: Array<{
    key: string;
    expected: CanaryManifestEntry['expected'];
    verdict: string;
  }> = [];
  for (const item of manifest.items) {
    const bytes = await deps.objects.get(input.bucket, `${input.prefix}${item.key}`);
    const r = await deps.media.check({
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      purpose: item.purpose ?? 'catalog',
    });
    results.push({ key: item.key, expected: item.expected, verdict: r.verdict });
  }
  const score = canaryScore(results as Parameters<typeof canaryScore>[0]);
  deps.metrics({
    CanaryPrecision: score.precision,
    CanaryRecall: score.recall,
    CanaryImages: score.total,
    CanaryFalseNegatives: score.fn,
    CanaryFalsePositives: score.fp,
  });
  return {
    ...score,
    misses: results
      .filter(
        (r) =>
          r.expected === 'synthetic' &&
          !['synthetic', 'suspected-manipulation'].includes(r.verdict),
      )
      .map((r) => r.key),
  };
}
