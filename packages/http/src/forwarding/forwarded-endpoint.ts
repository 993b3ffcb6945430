import type { IncomingMessage, ServerResponse } from 'node:http';
import { constantTimeEqual, type HeaderValue, headerValue, type WebhookReceiver } from '@tender/core';
import { readNodeBody } from '../body/read-node-body.js';
import { describeError } from '../error-status.js';
import { DEFAULT_BODY_LIMIT, type WebhookLogger } from '../options.js';
import { splitRequestTarget } from '../query.js';
import { errorResponse, jsonResponse, type WebhookHttpResponse } from '../responses.js';
import { FORWARD_SECRET_HEADER, FORWARDED_METHOD_HEADER, FORWARDED_QUERY_HEADER, withoutEnvelope } from './forward-headers.js';

export interface ForwardedEndpointOptions {
  /** Shared with the edges; requests without it are refused before anything is read from them. */
  secret: string;
  /** Default `/v1/webhooks/payments`: the route is `POST {prefix}/:provider?org=:tenant`. */
  prefix?: string;
  bodyLimit?: number;
  logger?: WebhookLogger;
}

const PROVIDER_SEGMENT = /^[A-Za-z0-9-]+_[A-Za-z0-9-]+$/;

/**
 * The central API's side of forwarding: checks the edge's shared secret, then hands the provider's
 * original bytes, headers, method and query to the same receiver (verification and inbox) as the
 * direct route.
 */
export function createForwardedWebhookHandler(receiver: WebhookReceiver, options: ForwardedEndpointOptions) {
  const prefix = (options.prefix ?? '/v1/webhooks/payments').replace(/\/+$/, '');
  return async (request: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, HeaderValue>;
    rawBody: Buffer;
  }): Promise<WebhookHttpResponse> => {
    const provider = request.path.startsWith(`${prefix}/`) ? request.path.slice(prefix.length + 1) : '';
    if (!PROVIDER_SEGMENT.test(provider)) return errorResponse(404, 'not_found', 'No forwarding route here.');
    if (request.method !== 'POST')
      return errorResponse(405, 'method_not_allowed', 'Forwarded webhooks are POSTed.', { allow: 'POST' });
    const presented = headerValue(request.headers, FORWARD_SECRET_HEADER) ?? '';
    if (!constantTimeEqual(presented, options.secret)) {
      return errorResponse(401, 'unauthorized', `Missing or wrong ${FORWARD_SECRET_HEADER}.`);
    }
    try {
      const receipt = await receiver.receiveWebhook({
        provider,
        tenant: request.query.org || undefined,
        method: headerValue(request.headers, FORWARDED_METHOD_HEADER) ?? 'POST',
        query: Object.fromEntries(new URLSearchParams(headerValue(request.headers, FORWARDED_QUERY_HEADER) ?? '')),
        headers: withoutEnvelope(request.headers),
        rawBody: request.rawBody,
      });
      return jsonResponse(200, { received: true, ...receipt });
    } catch (error) {
      const disposition = describeError(error);
      if (disposition.serverFault) options.logger?.error({ err: error, provider }, 'forwarded webhook failed');
      return errorResponse(disposition.status, disposition.type, disposition.message, disposition.headers);
    }
  };
}

/** The forwarding endpoint as a node:http listener (or Express middleware: it never calls next). */
export function createForwardedWebhookListener(receiver: WebhookReceiver, options: ForwardedEndpointOptions) {
  const handle = createForwardedWebhookHandler(receiver, options);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let response: WebhookHttpResponse;
    try {
      const { path, query } = splitRequestTarget(req.url ?? '/');
      const rawBody = await readNodeBody(req, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
      response = await handle({ method: req.method ?? 'GET', path, query, headers: req.headers, rawBody });
    } catch (error) {
      const d = describeError(error);
      response = errorResponse(d.status, d.type, d.message, d.headers);
    }
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  };
}
