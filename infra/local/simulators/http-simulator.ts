import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type SimulatorMode = 'up' | 'down' | 'slow' | 'failing';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | string | undefined;
  status: number;
  at: string;
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  form: Record<string, string>;
  json: unknown;
}

export type SimReply = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * A loopback HTTP simulator that records every call and can be told to be down (every
 * connection refused/reset), slow (delay each answer) or failing (HTTP 503).
 */
export abstract class HttpSimulator {
  readonly calls: RecordedCall[] = [];
  private currentMode: SimulatorMode = 'up';
  /** `down` also drops kept-alive connections, so no client keeps talking to a dead host. */
  get mode(): SimulatorMode {
    return this.currentMode;
  }
  set mode(next: SimulatorMode) {
    this.currentMode = next;
    if (next === 'down') for (const s of this.sockets) s.destroy();
  }
  slowMs = 1500;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  protected abstract handle(req: SimRequest): SimReply | Promise<SimReply>;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (s) => {
      if (this.currentMode === 'down') {
        s.destroy();
        return;
      }
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Calls that changed something (non-GET). */
  mutations(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'GET');
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    const ctype = String(req.headers['content-type'] ?? '');
    const form = ctype.includes('x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(rawBody))
      : {};
    let json: unknown;
    if (ctype.includes('json') && rawBody) {
      try {
        json = JSON.parse(rawBody);
      } catch {
        json = undefined;
      }
    }
    let reply: SimReply;
    if (this.mode === 'failing')
      reply = { status: 503, body: { error: { message: 'simulated outage' } } };
    else {
      if (this.mode === 'slow') await new Promise((r) => setTimeout(r, this.slowMs));
      try {
        reply = await this.handle({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          rawBody,
          form,
          json,
        });
      } catch (err) {
        reply = { status: 500, body: { error: { message: (err as Error).message } } };
      }
    }
    this.calls.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body:
        json !== undefined
          ? (json as Record<string, unknown>)
          : Object.keys(form).length
            ? form
            : rawBody || undefined,
      status: reply.status,
      at: new Date().toISOString(),
    });
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json',
      ...reply.headers,
    });
    res.end(text);
  }
}
