import type { KycApplication, KycVendor } from '#ports/media-containment.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';

/**
 * A KYC / IDV vendor REST API (bearer key): GET /v1/applications/{id},
 * POST /v1/applications/{id}/hold {reason}, POST /v1/applications/{id}/status {status}.
 * Vendors differ; this is the contract a vendor shim implements.
 */
export class HttpKycVendor implements KycVendor {
  constructor(
    private readonly base: string,
    private readonly apiKey: () => Promise<string>,
  ) {}

  async getApplication(id: string): Promise<KycApplication> {
    const body = (await this.call('GET', `/v1/applications/${encodeURIComponent(id)}`)) as {
      id?: string;
      status?: string;
    };
    return { id: String(body.id ?? id), status: String(body.status ?? 'unknown') };
  }

  async hold(id: string, reason: string) {
    await this.call('POST', `/v1/applications/${encodeURIComponent(id)}/hold`, { reason });
  }

  async setStatus(id: string, status: string) {
    await this.call('POST', `/v1/applications/${encodeURIComponent(id)}/status`, { status });
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.apiKey()}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new RetryableError(`KYC vendor unreachable: ${(err as Error).name}`);
    }
    if (res.status === 429 || res.status >= 500)
      throw new RetryableError(`KYC vendor HTTP ${res.status}`);
    if (!res.ok)
      throw new NonRetryableError(
        `KYC vendor HTTP ${res.status} on ${method} ${path.split('/')[2]}`,
      );
    return res.json();
  }
}
