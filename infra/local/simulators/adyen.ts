import { HttpSimulator, type SimReply, type SimRequest } from './http-simulator.ts';

interface Credential {
  id: string;
  username: string;
  merchantId: string;
  key: string;
  active: boolean;
  allowedOrigins: Array<{ id: string; domain: string }>;
  /** Only credentials with this role may call the Management API on other credentials. */
  management: boolean;
}

/**
 * Adyen Management API v3 on loopback: the calls the Adyen levers make (GET/PATCH
 * /v3/merchants/{merchantId}/apiCredentials/{id}, GET /v3/me), `X-API-Key` auth, Adyen's error
 * shape. A deactivated credential's key is refused (401) from then on — the proof that matters.
 */
export class AdyenSimulator extends HttpSimulator {
  readonly credentials = new Map<string, Credential>();
  private seq = 0;

  seed(
    merchantId: string,
    creds: Array<{
      id: string;
      key: string;
      active?: boolean;
      allowedOrigins?: string[];
      management?: boolean;
    }>,
  ): void {
    for (const c of creds)
      this.credentials.set(c.id, {
        id: c.id,
        username: `ws_${c.id}@Company.Drill`,
        merchantId,
        key: c.key,
        active: c.active ?? true,
        allowedOrigins: (c.allowedOrigins ?? []).map((domain) => ({ id: this.originId(), domain })),
        management: c.management ?? false,
      });
  }

  /** The credential a key belongs to, if the key is currently accepted. */
  accepts(key: string): boolean {
    return [...this.credentials.values()].some((c) => c.key === key && c.active);
  }

  protected handle(req: SimRequest): SimReply {
    const key = String(req.headers['x-api-key'] ?? '');
    const caller = [...this.credentials.values()].find((c) => c.key === key && c.active);
    if (!caller) return error(401, '000', 'Not authorized', 'Unauthorized');
    if (req.method === 'GET' && req.path === '/v3/me')
      return {
        status: 200,
        body: { id: caller.id, username: caller.username, active: caller.active, roles: [] },
      };
    const m = /^\/v3\/merchants\/([^/]+)\/apiCredentials\/([^/]+)$/.exec(req.path);
    if (!m) return error(404, '000', 'Not found', 'Not Found');
    if (!caller.management)
      return error(
        403,
        '010',
        'Not allowed: missing role Management API — API credentials read and write',
        'Forbidden',
      );
    const cred = this.credentials.get(decodeURIComponent(m[2]!));
    if (!cred || cred.merchantId !== decodeURIComponent(m[1]!))
      return error(404, '000', 'API credential not found', 'Not Found');
    if (req.method === 'GET') return { status: 200, body: view(cred) };
    if (req.method === 'PATCH') {
      const patch = (req.json ?? {}) as { active?: unknown; allowedOrigins?: unknown };
      if (patch.active !== undefined) {
        if (typeof patch.active !== 'boolean')
          return error(422, '702', 'active must be a boolean', 'Unprocessable Entity');
        cred.active = patch.active;
      }
      if (patch.allowedOrigins !== undefined) {
        if (
          !Array.isArray(patch.allowedOrigins) ||
          patch.allowedOrigins.some((o) => typeof o !== 'string')
        )
          return error(
            422,
            '702',
            'allowedOrigins must be a list of domains',
            'Unprocessable Entity',
          );
        cred.allowedOrigins = (patch.allowedOrigins as string[]).map(
          (domain) =>
            cred.allowedOrigins.find((o) => o.domain === domain) ?? { id: this.originId(), domain },
        );
      }
      return { status: 200, body: view(cred) };
    }
    return error(405, '000', 'Method not allowed', 'Method Not Allowed');
  }

  private originId() {
    return `S2-${(++this.seq).toString(16).padStart(8, '0')}`;
  }
}

const view = (c: Credential) => ({
  id: c.id,
  username: c.username,
  active: c.active,
  allowedOrigins: c.allowedOrigins,
  roles: c.management ? ['Management API — API credentials read and write'] : [],
});

const error = (status: number, errorCode: string, detail: string, title: string): SimReply => ({
  status,
  body: { type: 'https://docs.adyen.com/errors/general/', title, status, detail, errorCode },
});
