import { HttpSimulator, type SimReply, type SimRequest } from './http-simulator.ts';

/** A KYC vendor on loopback (the contract of shared/adapters/media/http-kyc-vendor.ts). */
export class KycSimulator extends HttpSimulator {
  readonly applications = new Map<string, { id: string; status: string; holdReason?: string }>();

  constructor(readonly apiKey: string) {
    super();
  }

  seed(apps: Array<{ id: string; status: string }>): void {
    for (const a of apps) this.applications.set(a.id, { ...a });
  }

  protected handle(req: SimRequest): SimReply {
    if (req.headers.authorization !== `Bearer ${this.apiKey}`)
      return { status: 401, body: { error: 'unauthorized' } };
    const m = /^\/v1\/applications\/([^/]+)(?:\/(hold|status))?$/.exec(req.path);
    if (!m) return { status: 404, body: { error: 'not found' } };
    const app = this.applications.get(decodeURIComponent(m[1]!));
    if (!app) return { status: 404, body: { error: 'no such application' } };
    const body = (req.json ?? {}) as { reason?: string; status?: string };
    if (req.method === 'GET' && !m[2]) return { status: 200, body: app };
    if (req.method === 'POST' && m[2] === 'hold') {
      app.status = 'on_hold';
      app.holdReason = String(body.reason ?? '').slice(0, 200);
      return { status: 200, body: app };
    }
    if (req.method === 'POST' && m[2] === 'status' && body.status) {
      app.status = body.status;
      return { status: 200, body: app };
    }
    return { status: 400, body: { error: 'bad request' } };
  }
}
