import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { WebhookRequest } from '#use-cases/ingest-webhook.ts';

/** Lambda Function URL event → raw request (headers lower-cased, body as received). */
export function toWebhookRequest(source: string, event: APIGatewayProxyEventV2): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event?.headers ?? {})) headers[k.toLowerCase()] = v;
  const body = typeof event?.body === 'string' ? event.body : '';
  const rawBody = event?.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  const query: Record<string, string | undefined> = {};
  if (event?.queryStringParameters && typeof event.queryStringParameters === 'object')
    Object.assign(query, event.queryStringParameters);
  else if (typeof event?.rawQueryString === 'string')
    for (const [k, v] of new URLSearchParams(event.rawQueryString)) query[k] = v;
  const method = String(event?.requestContext?.http?.method ?? 'POST').toUpperCase();
  return { source, headers, rawBody, method, query };
}
