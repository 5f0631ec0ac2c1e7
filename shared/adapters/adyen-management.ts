import type { AdyenCredentialState, AdyenManagement } from '#ports/adyen.ts';
import { GatewayUnavailableError, NonRetryableError, RetryableError } from '#runtime/errors.ts';

/**
 * Adyen Management API v3 (`X-API-Key`), e.g. https://management-test.adyen.com/v3.
 * Allowed origins are read as domains; updates send the full list (PATCH replaces it).
 */
export class AdyenManagementAdapter implements AdyenManagement {
  constructor(
    private readonly apiKey: () => Promise<string>,
    private readonly baseUrl = 'https://management-test.adyen.com',
    private readonly timeoutMs = 10_000,
  ) {}

  async getCredential(merchantId: string, id: string) {
    return pick(
      await this.call(
        'GET',
        `/v3/merchants/${enc(merchantId)}/apiCredentials/${enc(id)}`,
        await this.apiKey(),
      ),
    );
  }

  async updateCredential(
    merchantId: string,
    id: string,
    patch: { active?: boolean; allowedOrigins?: string[] },
  ) {
    return pick(
      await this.call(
        'PATCH',
        `/v3/merchants/${enc(merchantId)}/apiCredentials/${enc(id)}`,
        await this.apiKey(),
        patch,
      ),
    );
  }

  async keyWorks(apiKey: string) {
    const res = await this.raw('GET', '/v3/me', apiKey);
    if (res.status === 401 || res.status === 403) return false;
    if (res.ok) return true;
    throw new RetryableError(`Adyen GET /v3/me: HTTP ${res.status}`);
  }

  private async raw(method: string, path: string, key: string, body?: unknown) {
    try {
      return await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new GatewayUnavailableError(
        `Adyen ${method} ${path.split('/').slice(0, 3).join('/')}: unreachable (${(err as Error).name})`,
      );
    }
  }

  private async call(method: string, path: string, key: string, body?: unknown): Promise<any> {
    const res = await this.raw(method, path, key, body);
    if (res.status === 429 || res.status >= 500)
      throw new RetryableError(`Adyen ${method}: HTTP ${res.status}`);
    if (!res.ok) throw new NonRetryableError(`Adyen ${method}: HTTP ${res.status}`);
    return res.json();
  }
}

const enc = encodeURIComponent;
function pick(c: {
  id: string;
  active: boolean;
  allowedOrigins?: Array<{ domain: string } | string>;
}): AdyenCredentialState {
  return {
    id: c.id,
    active: c.active,
    allowedOrigins: (c.allowedOrigins ?? [])
      .map((o) => (typeof o === 'string' ? o : o.domain))
      .sort(),
  };
}
