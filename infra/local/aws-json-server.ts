import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JsonHandler = (body: any) => Promise<unknown> | unknown;

export class AwsJsonError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * A loopback server answering the AWS JSON 1.0/1.1 protocol (`X-Amz-Target: Service.Operation`),
 * so the real SDK v3 clients talk to local stand-ins (EventBridge, Step Functions, Rekognition…).
 */
export class AwsJsonServer {
  private server?: Server;
  url = '';
  readonly handlers = new Map<string, JsonHandler>();

  on(target: string, handler: JsonHandler): this {
    this.handlers.set(target, handler);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const target = String(req.headers['x-amz-target'] ?? '');
      const reply = (status: number, body: unknown, type?: string) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(type ? { 'x-amzn-errortype': type } : {}),
        });
        res.end(JSON.stringify(body));
      };
      const handler = this.handlers.get(target);
      if (!handler)
        return reply(
          400,
          { __type: 'UnknownOperationException', message: target },
          'UnknownOperationException',
        );
      try {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        reply(200, (await handler(body)) ?? {});
      } catch (err) {
        if (err instanceof AwsJsonError)
          return reply(err.status, { __type: err.code, message: err.message }, err.code);
        reply(
          500,
          { __type: 'InternalFailure', message: (err as Error).message },
          'InternalFailure',
        );
      }
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    (this.server as Server & { closeAllConnections?: () => void })?.closeAllConnections?.();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
