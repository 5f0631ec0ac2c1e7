import type { DetectorFacts } from '#domain/media/verdict.ts';
import type { MediaInput, SyntheticDetector } from '#ports/media-check.ts';
import { RetryableError } from '#runtime/errors.ts';

/**
 * A pluggable third-party detector over HTTP: POST {sha256, image (base64)} → {model, status, score}.
 * Vendors differ; this adapter is the contract a vendor shim implements. Timeouts and 5xx are
 * retryable; anything else becomes status `error` (the verdict then rests on the other signals).
 */
export class HttpSyntheticDetector implements SyntheticDetector {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5000,
  ) {}

  async detect(input: MediaInput): Promise<DetectorFacts | undefined> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          sha256: input.sha256,
          image: Buffer.from(input.bytes).toString('base64'),
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new RetryableError(`detector unreachable: ${(err as Error).name}`);
    }
    if (res.status >= 500) throw new RetryableError(`detector HTTP ${res.status}`);
    if (!res.ok) return { model: 'unknown', status: 'error' };
    const body = (await res.json()) as { model?: string; status?: string; score?: number };
    const status = ['ok', 'error', 'unsupported', 'pending'].includes(String(body.status))
      ? (body.status as DetectorFacts['status'])
      : 'error';
    return {
      model: String(body.model ?? 'unknown').slice(0, 200),
      status,
      ...(typeof body.score === 'number' && body.score >= 0 && body.score <= 1
        ? { score: body.score }
        : {}),
    };
  }
}
