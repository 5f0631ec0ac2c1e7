import type {
  PaymentIntentState,
  StripeContainment,
  WebhookEndpointState,
} from '#ports/payment-gateway.ts';
import { GatewayUnavailableError, NonRetryableError, RetryableError } from '#runtime/errors.ts';

/**
 * Stripe REST API (form-encoded, Bearer key) with Idempotency-Key on every POST.
 * `baseUrl` is https://api.stripe.com in production and the simulator locally.
 */
export class StripeContainmentAdapter implements StripeContainment {
  constructor(
    private readonly apiKey: () => Promise<string>,
    private readonly baseUrl = 'https://api.stripe.com',
    private readonly timeoutMs = 10_000,
  ) {}

  async listWebhookEndpoints() {
    const res = await this.call<{ data: WebhookEndpointState[] }>(
      'GET',
      '/v1/webhook_endpoints?limit=100',
    );
    return res.data.map(pickEndpoint);
  }

  async setWebhookEndpointDisabled(id: string, disabled: boolean) {
    return pickEndpoint(
      await this.call<WebhookEndpointState>('POST', `/v1/webhook_endpoints/${enc(id)}`, {
        disabled: String(disabled),
      }),
    );
  }

  async listPaymentIntents(filter: { customer?: string }) {
    const q = new URLSearchParams({ limit: '100' });
    if (filter.customer) q.set('customer', filter.customer);
    const res = await this.call<{ data: PaymentIntentState[] }>('GET', `/v1/payment_intents?${q}`);
    return res.data.map(pickIntent);
  }

  async getPaymentIntent(id: string) {
    return pickIntent(await this.call<PaymentIntentState>('GET', `/v1/payment_intents/${enc(id)}`));
  }

  async cancelPaymentIntent(id: string, reason: 'fraudulent') {
    return pickIntent(
      await this.call<PaymentIntentState>('POST', `/v1/payment_intents/${enc(id)}/cancel`, {
        cancellation_reason: reason,
      }),
    );
  }

  async addValueListItem(valueList: string, value: string) {
    const item = await this.call<{ id: string }>('POST', '/v1/radar/value_list_items', {
      value_list: valueList,
      value,
    });
    return { id: item.id };
  }

  async listValueListItems(valueList: string) {
    const res = await this.call<{ data: Array<{ id: string; value: string }> }>(
      'GET',
      `/v1/radar/value_list_items?value_list=${enc(valueList)}&limit=100`,
    );
    return res.data.map((d) => ({ id: d.id, value: d.value }));
  }

  async deleteValueListItem(id: string) {
    await this.call('DELETE', `/v1/radar/value_list_items/${enc(id)}`);
  }

  private async call<T>(method: string, path: string, form?: Record<string, string>): Promise<T> {
    const key = await this.apiKey();
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['idempotency-key'] = `tourniquet-${method}-${path}-${body}`.slice(0, 255);
    }
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new GatewayUnavailableError(
        `Stripe ${method} ${path.split('?')[0]}: unreachable (${(err as Error).name})`,
      );
    }
    if (res.status === 429 || res.status >= 500) {
      throw new RetryableError(`Stripe ${method} ${path.split('?')[0]}: HTTP ${res.status}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let msg = `HTTP ${res.status}`;
      try {
        msg = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? msg;
      } catch {}
      throw new NonRetryableError(`Stripe ${method} ${path.split('?')[0]}: ${msg}`);
    }
    return (await res.json()) as T;
  }
}

const enc = encodeURIComponent;
const pickEndpoint = (e: WebhookEndpointState): WebhookEndpointState => ({
  id: e.id,
  url: e.url,
  status: e.status,
});
const pickIntent = (p: PaymentIntentState): PaymentIntentState => ({
  id: p.id,
  status: p.status,
  customer: p.customer ?? null,
});
