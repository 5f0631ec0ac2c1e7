import type { Lever } from './lever-kit.ts';
import { need } from './lever-kit.ts';

type CredPre = { credentials: Array<{ id: string; active: boolean; allowedOrigins: string[] }> };

async function snapshotCredentials(p: Parameters<Lever['snapshot']>[0]): Promise<CredPre> {
  if (!p.adyenConfig || p.adyenConfig.credentials.length === 0) return { credentials: [] };
  const adyen = need(p.adyen, 'Adyen');
  const out: CredPre['credentials'] = [];
  for (const c of p.adyenConfig.credentials)
    out.push(await adyen.getCredential(p.adyenConfig.merchantId, c.id));
  return { credentials: out };
}

/** Deactivates the API credentials in scope and proves the old key is now refused (not just rotated). */
const deactivateApiCredentials: Lever<CredPre, { deactivated: string[] }> = {
  reversible: true,
  snapshot: snapshotCredentials,
  async act(p, _t, pre) {
    const deactivated: string[] = [];
    for (const c of pre.credentials.filter((x) => x.active)) {
      await need(p.adyen, 'Adyen').updateCredential(p.adyenConfig!.merchantId, c.id, {
        active: false,
      });
      deactivated.push(c.id);
    }
    return { changed: deactivated.length, result: { deactivated } };
  },
  async verify(p, _t, pre) {
    const adyen = pre.credentials.length ? need(p.adyen, 'Adyen') : undefined;
    let stillActive = 0;
    let keyAccepted = 0;
    let keysChecked = 0;
    for (const c of pre.credentials) {
      if ((await adyen!.getCredential(p.adyenConfig!.merchantId, c.id)).active) stillActive++;
      const key = p.adyenConfig!.credentials.find((x) => x.id === c.id)?.key;
      if (key) {
        keysChecked++;
        if (await adyen!.keyWorks(await key())) keyAccepted++;
      }
    }
    return {
      ok: stillActive === 0 && keyAccepted === 0,
      detail: `${pre.credentials.length} credential(s), ${stillActive} still active; old key refused ${keysChecked - keyAccepted}/${keysChecked}`,
    };
  },
  async release(p, _t, pre, res) {
    for (const c of pre.credentials.filter((x) => res.deactivated.includes(x.id)))
      await need(p.adyen, 'Adyen').updateCredential(p.adyenConfig!.merchantId, c.id, {
        active: c.active,
      });
    return { restored: res.deactivated.length };
  },
};

/** Narrows the allowed origins (client-side key use) of the credentials in scope to the known list. */
const restrictAllowedOrigins: Lever<CredPre, { restricted: string[] }> = {
  reversible: true,
  snapshot: snapshotCredentials,
  async act(p, _t, pre) {
    const allowed = [...(p.adyenConfig?.allowedOrigins ?? [])].sort();
    const restricted: string[] = [];
    for (const c of pre.credentials) {
      const next = c.allowedOrigins.filter((o) => allowed.includes(o));
      if (next.length === c.allowedOrigins.length) continue;
      await need(p.adyen, 'Adyen').updateCredential(p.adyenConfig!.merchantId, c.id, {
        allowedOrigins: next,
      });
      restricted.push(c.id);
    }
    return { changed: restricted.length, result: { restricted } };
  },
  async verify(p, _t, pre) {
    const allowed = p.adyenConfig?.allowedOrigins ?? [];
    let wide = 0;
    for (const c of pre.credentials) {
      const now = await need(p.adyen, 'Adyen').getCredential(p.adyenConfig!.merchantId, c.id);
      if (now.allowedOrigins.some((o) => !allowed.includes(o))) wide++;
    }
    return {
      ok: wide === 0,
      detail: `${pre.credentials.length} credential(s), ${wide} with unknown origins`,
    };
  },
  async release(p, _t, pre, res) {
    for (const c of pre.credentials.filter((x) => res.restricted.includes(x.id)))
      await need(p.adyen, 'Adyen').updateCredential(p.adyenConfig!.merchantId, c.id, {
        allowedOrigins: c.allowedOrigins,
      });
    return { restored: res.restricted.length };
  },
};

export const ADYEN_LEVERS: Record<string, Lever<any, any>> = {
  'adyen.deactivate-api-credentials': deactivateApiCredentials,
  'adyen.restrict-allowed-origins': restrictAllowedOrigins,
};
