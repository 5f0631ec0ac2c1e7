/** A Lambda Function URL event (payload v2.0) as a drill injector delivers a webhook. */
export function functionUrlEvent(body: string, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      http: {
        method: 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'tourniquet-drill',
      },
    },
    body,
    isBase64Encoded: false,
  };
}
