import { type Lever, need } from './lever-kit.ts';
import { ADYEN_LEVERS } from './levers-adyen.ts';
import { AWS_LEVERS } from './levers-aws.ts';
import { MAGENTO_LEVERS } from './levers-magento.ts';
import { MEDIA_LEVERS } from './levers-media.ts';

export type { Lever, LeverPorts, LeverTarget, Verification } from './lever-kit.ts';
export { need } from './lever-kit.ts';

const CANCELLABLE = new Set([
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
]);

type EndpointPre = { endpoints: Array<{ id: string; status: string }> };
const disableUnknownWebhookEndpoints: Lever<EndpointPre, { disabled: string[] }> = {
  reversible: true,
  async snapshot(p) {
    const all = await need(p.stripe, 'Stripe').listWebhookEndpoints();
    const unknown = all.filter((e) => !p.stripeKnownWebhookUrls.includes(e.url));
    return { endpoints: unknown.map((e) => ({ id: e.id, status: e.status })) };
  },
  async act(p, _t, pre) {
    const disabled: string[] = [];
    for (const e of pre.endpoints.filter((x) => x.status === 'enabled')) {
      await need(p.stripe, 'Stripe').setWebhookEndpointDisabled(e.id, true);
      disabled.push(e.id);
    }
    return { changed: disabled.length, result: { disabled } };
  },
  async verify(p, _t, pre) {
    const now = await need(p.stripe, 'Stripe').listWebhookEndpoints();
    const stillOn = now.filter(
      (e) => pre.endpoints.some((x) => x.id === e.id) && e.status !== 'disabled',
    );
    return {
      ok: stillOn.length === 0,
      detail: `${pre.endpoints.length} unknown endpoint(s), ${stillOn.length} still enabled`,
    };
  },
  async release(p, _t, pre, res) {
    for (const id of res.disabled) {
      const was = pre.endpoints.find((e) => e.id === id)?.status;
      await need(p.stripe, 'Stripe').setWebhookEndpointDisabled(id, was !== 'enabled');
    }
    return { restored: res.disabled.length };
  },
};

type IntentPre = { intents: Array<{ id: string; status: string }> };
const cancelOpenPaymentIntents: Lever<IntentPre, { cancelled: string[] }> = {
  reversible: false,
  async snapshot(p, t) {
    const stripe = need(p.stripe, 'Stripe');
    const byId = new Map<string, { id: string; status: string }>();
    for (const c of t.customerIds.filter((x) => x.startsWith('stripe:'))) {
      for (const pi of await stripe.listPaymentIntents({ customer: c.slice('stripe:'.length) })) {
        byId.set(pi.id, { id: pi.id, status: pi.status });
      }
    }
    for (const id of t.paymentIntents) {
      if (!byId.has(id)) {
        const pi = await stripe.getPaymentIntent(id);
        byId.set(pi.id, { id: pi.id, status: pi.status });
      }
    }
    return { intents: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)) };
  },
  async act(p, _t, pre) {
    const stripe = need(p.stripe, 'Stripe');
    const cancelled: string[] = [];
    for (const pi of pre.intents.filter((x) => CANCELLABLE.has(x.status))) {
      const current = await stripe.getPaymentIntent(pi.id);
      if (CANCELLABLE.has(current.status)) await stripe.cancelPaymentIntent(pi.id, 'fraudulent');
      cancelled.push(pi.id);
    }
    return { changed: cancelled.length, result: { cancelled } };
  },
  async verify(p, _t, _pre, res) {
    const stripe = need(p.stripe, 'Stripe');
    const states = await Promise.all(res.cancelled.map((id) => stripe.getPaymentIntent(id)));
    const open = states.filter((s) => s.status !== 'canceled');
    return {
      ok: open.length === 0,
      detail: `${res.cancelled.length} cancelled, ${open.length} still open`,
    };
  },
  async release() {
    return { restored: 0 };
  },
};

type BlockPre = { present: string[] };
const blockCardFingerprints: Lever<BlockPre, { added: Array<{ id: string; value: string }> }> = {
  reversible: true,
  async snapshot(p) {
    const items = await need(p.stripe, 'Stripe').listValueListItems(p.stripeBlockListId);
    return { present: items.map((i) => i.value).sort() };
  },
  async act(p, t, pre) {
    const stripe = need(p.stripe, 'Stripe');
    const added: Array<{ id: string; value: string }> = [];
    for (const fp of t.cardFingerprints.filter((f) => !pre.present.includes(f))) {
      const current = await stripe.listValueListItems(p.stripeBlockListId);
      const already = current.find((i) => i.value === fp);
      added.push(
        already
          ? { id: already.id, value: fp }
          : { ...(await stripe.addValueListItem(p.stripeBlockListId, fp)), value: fp },
      );
    }
    return { changed: added.length, result: { added } };
  },
  async verify(p, t) {
    const items = await need(p.stripe, 'Stripe').listValueListItems(p.stripeBlockListId);
    const missing = t.cardFingerprints.filter((f) => !items.some((i) => i.value === f));
    return {
      ok: missing.length === 0,
      detail: `${t.cardFingerprints.length} fingerprint(s), ${missing.length} not blocked`,
    };
  },
  async release(p, _t, _pre, res) {
    for (const item of res.added) await need(p.stripe, 'Stripe').deleteValueListItem(item.id);
    return { restored: res.added.length };
  },
};

export const LEVERS: Record<string, Lever<any, any>> = {
  'stripe.disable-unknown-webhook-endpoints': disableUnknownWebhookEndpoints,
  'stripe.cancel-open-payment-intents': cancelOpenPaymentIntents,
  'stripe.block-card-fingerprints': blockCardFingerprints,
  ...ADYEN_LEVERS,
  ...MAGENTO_LEVERS,
  ...AWS_LEVERS,
  ...MEDIA_LEVERS,
};
