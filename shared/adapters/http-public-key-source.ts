import type { PublicKeySource } from '#ports/public-key-source.ts';
import { RetryableError } from '#runtime/errors.ts';

/**
 * Fetches PEM public keys from a fixed host (Adobe I/O: https://static.adobeioevents.com + path)
 * and caches them. A 4xx means "no such key" (the request is rejected); network errors and 5xx
 * are retryable (the sender retries later).
 */
export class HttpPublicKeySource implements PublicKeySource {
  private readonly cache = new Map<string, { pem: string | undefined; until: number }>();

  constructor(
    private readonly baseUrl: string,
    private readonly ttlMs = 3600_000,
    private readonly now: () => number = Date.now,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async get(path: string): Promise<string | undefined> {
    const hit = this.cache.get(path);
    if (hit && hit.until > this.now()) return hit.pem;
    const url = new URL(path, this.baseUrl);
    if (url.origin !== new URL(this.baseUrl).origin) return undefined;
    let res: Response;
    try {
      res = await this.fetchFn(url, { signal: AbortSignal.timeout(3000) });
    } catch (err) {
      throw new RetryableError(`public key fetch failed (${(err as Error).name})`);
    }
    if (res.status >= 500) throw new RetryableError(`public key host answered ${res.status}`);
    const text = res.ok ? (await res.text()).slice(0, 16_384) : '';
    const pem = text.includes('-----BEGIN PUBLIC KEY-----') ? text : undefined;
    // Unknown keys are cached briefly so a flood of bogus paths cannot hammer the key host.
    this.cache.set(path, { pem, until: this.now() + (pem ? this.ttlMs : 60_000) });
    if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
    return pem;
  }
}

/** Fixed keys (tests, drills): path → PEM. */
export class StaticPublicKeySource implements PublicKeySource {
  constructor(private readonly keys: Record<string, string>) {}
  async get(path: string) {
    return this.keys[path];
  }
}
