import { HttpSimulator, type SimReply, type SimRequest } from './http-simulator.ts';

interface Endpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  status: 'enabled' | 'disabled';
}
interface Intent {
  id: string;
  object: 'payment_intent';
  status: string;
  customer: string | null;
  amount: number;
  currency: string;
  cancellation_reason: string | null;
}
interface ListItem {
  id: string;
  object: 'radar.value_list_item';
  value: string;
  value_list: string;
}

const CANCELLABLE = new Set([
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
]);

/**
 * Stripe API simulator: the subset of /v1 the containment levers use, with Stripe's form
 * encoding, Bearer auth, error shape and Idempotency-Key replay.
 */
export class StripeSimulator extends HttpSimulator {
  readonly endpoints = new Map<string, Endpoint>();
  readonly intents = new Map<string, Intent>();
  readonly valueListItems = new Map<string, ListItem>();
  private readonly idempotent = new Map<string, SimReply>();
  private seq = 0;

  constructor(private readonly apiKeys: Set<string>) {
    super();
  }

  seed(data: {
    endpoints?: Array<Omit<Endpoint, 'object'>>;
    intents?: Array<Partial<Intent> & { id: string; status: string }>;
  }) {
    for (const e of data.endpoints ?? [])
      this.endpoints.set(e.id, { object: 'webhook_endpoint', ...e });
    for (const p of data.intents ?? []) {
      this.intents.set(p.id, {
        object: 'payment_intent',
        customer: null,
        amount: 1000,
        currency: 'eur',
        cancellation_reason: null,
        ...p,
      });
    }
  }

  revokeKey(key: string) {
    this.apiKeys.delete(key);
  }

  protected handle(req: SimRequest): SimReply {
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || !this.apiKeys.has(auth.slice(7))) {
      return err(401, 'Invalid API Key provided', 'invalid_request_error');
    }
    const idem = req.headers['idempotency-key'];
    const idemKey = typeof idem === 'string' ? `${req.method} ${req.path} ${idem}` : undefined;
    if (idemKey && this.idempotent.has(idemKey)) return this.idempotent.get(idemKey)!;
    const reply = this.route(req);
    if (idemKey && req.method === 'POST' && reply.status < 500) this.idempotent.set(idemKey, reply);
    return reply;
  }

  private route(req: SimRequest): SimReply {
    const p = req.path.split('/').filter(Boolean); // ['v1', ...]
    const m = req.method;
    if (p[0] !== 'v1') return err(404, 'Unrecognized request URL');
    if (p[1] === 'webhook_endpoints') {
      if (m === 'GET' && p.length === 2) return list([...this.endpoints.values()]);
      const e = this.endpoints.get(p[2] ?? '');
      if (!e) return err(404, `No such webhook endpoint: '${p[2]}'`);
      if (m === 'GET') return ok(e);
      if (m === 'POST') {
        if (req.form.disabled !== undefined)
          e.status = req.form.disabled === 'true' ? 'disabled' : 'enabled';
        if (req.form.url) e.url = req.form.url;
        return ok(e);
      }
    }
    if (p[1] === 'payment_intents') {
      if (m === 'GET' && p.length === 2) {
        const customer = req.query.get('customer');
        return list([...this.intents.values()].filter((i) => !customer || i.customer === customer));
      }
      const pi = this.intents.get(p[2] ?? '');
      if (!pi) return err(404, `No such payment_intent: '${p[2]}'`);
      if (m === 'GET' && p.length === 3) return ok(pi);
      if (m === 'POST' && p[3] === 'cancel') {
        if (!CANCELLABLE.has(pi.status)) {
          return err(
            400,
            `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
            'invalid_request_error',
            'payment_intent_unexpected_state',
          );
        }
        const reason = req.form.cancellation_reason;
        if (
          reason &&
          !['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'].includes(reason)
        ) {
          return err(400, `Invalid cancellation_reason: ${reason}`);
        }
        pi.status = 'canceled';
        pi.cancellation_reason = reason ?? null;
        return ok(pi);
      }
    }
    if (p[1] === 'radar' && p[2] === 'value_list_items') {
      if (m === 'GET' && p.length === 3) {
        const vl = req.query.get('value_list');
        if (!vl) return err(400, 'Missing required param: value_list.');
        return list([...this.valueListItems.values()].filter((i) => i.value_list === vl));
      }
      if (m === 'POST' && p.length === 3) {
        const { value_list, value } = req.form;
        if (!value_list || !value) return err(400, 'Missing required param: value_list or value.');
        if (
          [...this.valueListItems.values()].some(
            (i) => i.value_list === value_list && i.value === value,
          )
        ) {
          return err(400, 'This value already exists in the value list.');
        }
        const item: ListItem = {
          id: `rsli_${++this.seq}`,
          object: 'radar.value_list_item',
          value,
          value_list,
        };
        this.valueListItems.set(item.id, item);
        return ok(item);
      }
      if (m === 'DELETE' && p.length === 4) {
        if (!this.valueListItems.delete(p[3]!))
          return err(404, `No such value list item: '${p[3]}'`);
        return ok({ id: p[3], object: 'radar.value_list_item', deleted: true });
      }
    }
    return err(404, `Unrecognized request URL (${m}: ${req.path})`);
  }
}

const ok = (body: unknown): SimReply => ({ status: 200, body });
const list = (data: unknown[]): SimReply => ok({ object: 'list', data, has_more: false });
const err = (
  status: number,
  message: string,
  type = 'invalid_request_error',
  code?: string,
): SimReply => ({
  status,
  body: { error: { type, message, ...(code ? { code } : {}) } },
});
