import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Command } from 'commander';
import { WEBHOOK_ROUTES, type WebhookRoute } from '#contracts/ingest-env.ts';
import { LocalRuntime } from '../../infra/local/runtime.ts';
import { CliError } from '../errors.ts';

const MAX_READ = 2 * 1024 * 1024;

/** An HTTP request on loopback → the Lambda Function URL event the deployed function receives. */
export async function toFunctionUrlEvent(
  req: IncomingMessage,
): Promise<APIGatewayProxyEventV2 | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_READ) return 'too-large';
    chunks.push(c as Buffer);
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      http: {
        method: req.method ?? 'POST',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
    } as APIGatewayProxyEventV2['requestContext'],
    body: Buffer.concat(chunks).toString('base64'),
    isBase64Encoded: true,
  };
}

/** Serves POST/GET /webhooks/<route> on loopback, each through its real ingest handler. */
export async function serveWebhooks(rt: LocalRuntime, port = 0, log?: (l: string) => void) {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: string) => {
      res.writeHead(status, {
        'content-type':
          body.startsWith('{') || body.startsWith('[{') ? 'application/json' : 'text/plain',
      });
      res.end(body);
    };
    try {
      const route = /^\/webhooks\/([a-z-]+)\/?$/.exec(
        new URL(req.url ?? '/', 'http://x').pathname,
      )?.[1];
      const fn = route && WEBHOOK_ROUTES[route as WebhookRoute];
      if (!fn) return send(404, JSON.stringify({ error: 'no such webhook endpoint' }));
      const event = await toFunctionUrlEvent(req);
      if (event === 'too-large') return send(413, JSON.stringify({ error: 'payload too large' }));
      const out = (await rt.invokeFunction(fn, event)) as { statusCode: number; body: string };
      log?.(`${req.method} /webhooks/${route} → ${out.statusCode}`);
      send(out.statusCode, out.body);
    } catch (err) {
      log?.(`webhook error ${(err as Error).name}`);
      send(503, JSON.stringify({ error: 'temporarily unavailable, retry later' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoints = Object.fromEntries(
    Object.keys(WEBHOOK_ROUTES).map((r) => [r, `${base}/webhooks/${r}`]),
  ) as Record<WebhookRoute, string>;
  return {
    endpoints,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description(
      'start the local runtime and serve every webhook endpoint on loopback until Ctrl-C',
    )
    .option('--port <n>', 'port of the webhook server (default: a free port)', '0')
    .option(
      '--stage <stage>',
      'stage of the local runtime (drill marks every alert as a drill)',
      'local',
    )
    .option('--json', 'first stdout line: { "endpoints": { NAME: URL }, "dynamodb": {…} }')
    .action(async (opts: { port: string; stage: string; json?: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError(`--port must be 0..65535, not '${opts.port}'`);
      const say = (l: string) => process.stderr.write(`[local] ${l}\n`);
      const rt = await LocalRuntime.start({ stage: opts.stage, log: say });
      let web: Awaited<ReturnType<typeof serveWebhooks>>;
      try {
        web = await serveWebhooks(rt, port, say);
      } catch (err) {
        await rt.stop();
        throw new CliError(`cannot listen on port ${port}: ${(err as Error).message}`, 1);
      }
      const table = rt.tableName();
      const doc = {
        endpoints: web.endpoints,
        dynamodb: { endpoint: rt.endpoints.dynamodb, table },
        s3: rt.endpoints.s3,
      };
      if (opts.json) process.stdout.write(`${JSON.stringify(doc)}\n`);
      else {
        const lines = ['Tourniquet local runtime — webhook endpoints (POST):'];
        for (const [k, v] of Object.entries(web.endpoints)) lines.push(`  ${k.padEnd(12)} ${v}`);
        lines.push(`DynamoDB ${rt.endpoints.dynamodb} (table ${table})`);
        lines.push(`  tourniquet incidents --endpoint ${rt.endpoints.dynamodb} --table ${table}`);
        lines.push('Ctrl-C stops everything.');
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await web.stop();
      await rt.stop();
    });
}
