import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * s3rver has no bucket-policy API (PutBucketPolicy → NotImplemented). This loopback front answers
 * `GET|PUT|DELETE /<bucket>?policy` itself (S3's REST shapes and error codes) and forwards every
 * other request byte for byte, Host header included (so SigV4 still verifies), to s3rver. The
 * containment levers' S3 client (`levers-s3`) talks to it; everything else talks to s3rver.
 */
export class S3PolicyProxy {
  readonly policies = new Map<string, string>();
  private server?: Server;
  url = '';

  constructor(private readonly s3rverUrl: string) {}

  async start(): Promise<string> {
    const target = new URL(this.s3rverUrl);
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://s3');
      const bucket = url.pathname.split('/')[1] ?? '';
      if (
        url.searchParams.has('policy') &&
        bucket &&
        url.pathname.split('/').filter(Boolean).length === 1
      ) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const xmlError = (status: number, code: string, message: string) => {
            res.writeHead(status, { 'content-type': 'application/xml' });
            res.end(
              `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName></Error>`,
            );
          };
          if (req.method === 'GET') {
            const p = this.policies.get(bucket);
            if (!p) return xmlError(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist');
            res.writeHead(200, { 'content-type': 'application/json' });
            return res.end(p);
          }
          if (req.method === 'PUT') {
            const body = Buffer.concat(chunks).toString('utf8');
            try {
              JSON.parse(body);
            } catch {
              return xmlError(400, 'MalformedPolicy', 'Policies must be valid JSON');
            }
            this.policies.set(bucket, body);
            res.writeHead(204);
            return res.end();
          }
          if (req.method === 'DELETE') {
            this.policies.delete(bucket);
            res.writeHead(204);
            return res.end();
          }
          xmlError(405, 'MethodNotAllowed', 'The specified method is not allowed');
        });
        return;
      }
      const up = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(up);
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
