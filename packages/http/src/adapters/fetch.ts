import type { HeaderValue, WebhookReceiver } from '@tender/core';
import { readWebBody } from '../body/read-web-body.js';
import { createWebhookHandler, type WebhookRequestHead } from '../handler.js';
import { BodyAlreadyConsumedError } from '../http-errors.js';
import type { WebhookHandlerOptions } from '../options.js';
import { queryFromSearchParams } from '../query.js';
import type { WebhookHttpResponse } from '../responses.js';

const BODY_USED_MESSAGE =
  'The webhook request body was already read before the Tender fetch handler ran, so the exact bytes the provider ' +
  'signed are gone. Do not read the body (request.json(), request.text(), a body-parsing middleware) on the webhook ' +
  'path, or pass request.clone() to whatever reads it first.';

function headersRecord(headers: Headers): Record<string, HeaderValue> {
  const record: Record<string, HeaderValue> = {};
  for (const [name, value] of headers) record[name] = value;
  return record;
}

function toResponse(response: WebhookHttpResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}

/**
 * `(request: Request) => Promise<Response>` for Fetch-API hosts: Hono (`c.req.raw`), Next.js
 * route handlers, Bun, Deno. Paths are matched against the full URL path, so mount it where
 * the URL already carries the prefix (for example `app/hooks/payment/[...route]/route.ts`).
 */
export function createFetchHandler(
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const handler = createWebhookHandler(receiver, options);
  return async (request) => {
    const startedAt = performance.now();
    const url = new URL(request.url);
    const head: WebhookRequestHead = {
      method: request.method,
      path: url.pathname,
      query: queryFromSearchParams(url.searchParams),
      headers: headersRecord(request.headers),
      startedAt,
    };

    const verdict = handler.inspect(head);
    if (verdict.kind !== 'read-body') {
      // Tell the source to stop sending a body nobody will read.
      await request.body?.cancel().catch(() => undefined);
      return toResponse(await handler(head));
    }
    if (request.bodyUsed) return toResponse(await handler.fail(head, new BodyAlreadyConsumedError(BODY_USED_MESSAGE)));
    let rawBody: Buffer;
    try {
      rawBody = await readWebBody(request.body, verdict.bodyLimit);
    } catch (error) {
      return toResponse(await handler.fail(head, error));
    }
    return toResponse(await handler.receive(verdict, { ...head, rawBody }));
  };
}
