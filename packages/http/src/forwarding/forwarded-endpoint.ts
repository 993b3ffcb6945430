import type { IncomingMessage, ServerResponse } from 'node:http';
import { constantTimeEqual, type HeaderValue, headerValue, type WebhookReceiver } from '@tender/core';
import { sendNodeResponse } from '../adapters/node.js';
import { readNodeBody } from '../body/read-node-body.js';
import { describeError } from '../error-status.js';
import { BodyTooLargeError } from '../http-errors.js';
import type { WebhookLogger } from '../options.js';
import { splitRequestTarget } from '../query.js';
import { errorResponse, jsonResponse, type WebhookHttpResponse } from '../responses.js';
import { FORWARD_SECRET_HEADER, FORWARDED_METHOD_HEADER, FORWARDED_QUERY_HEADER, withoutEnvelope } from './forward-headers.js';
import { type ForwardedEndpointConfig, forwardedEndpointOptionsSchema, parseForwardingOptions } from './forwarding-options.js';

export interface ForwardedEndpointOptions {
  /**
   * Shared with the edges, at least 16 bytes (`openssl rand -hex 32`); requests without it are refused
   * from their headers, before anything is read from their body.
   */
  secret: string;
  /** Default `/v1/webhooks/payments`: the route is `POST {prefix}/:provider?org=:tenant`. */
  prefix?: string;
  bodyLimit?: number;
  /** Milliseconds the whole body may take to arrive (node listener); default 10 s, then 408. */
  bodyTimeoutMs?: number;
  logger?: WebhookLogger;
}

/** What is known about a forwarded request before its body is read. */
export interface ForwardedRequestHead {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, HeaderValue>;
}

const PROVIDER_SEGMENT = /^[A-Za-z0-9-]+_[A-Za-z0-9-]+$/;

function declaredLength(headers: Record<string, HeaderValue>): number | undefined {
  const raw = headerValue(headers, 'content-length');
  return raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

/**
 * Everything that can be refused from the request line and headers: route, method, the shared secret and a
 * declared size over the limit. An unauthenticated caller's body is then never read, let alone buffered.
 */
function refuseHead(head: ForwardedRequestHead, config: ForwardedEndpointConfig): WebhookHttpResponse | undefined {
  const { prefix } = config;
  const provider = head.path.startsWith(`${prefix}/`) ? head.path.slice(prefix.length + 1) : '';
  if (!PROVIDER_SEGMENT.test(provider)) return errorResponse(404, 'not_found', 'No forwarding route here.');
  if (head.method !== 'POST')
    return errorResponse(405, 'method_not_allowed', 'Forwarded webhooks are POSTed.', { allow: 'POST' });
  const presented = headerValue(head.headers, FORWARD_SECRET_HEADER) ?? '';
  if (!constantTimeEqual(presented, config.secret)) {
    return errorResponse(401, 'unauthorized', `Missing or wrong ${FORWARD_SECRET_HEADER}.`);
  }
  const length = declaredLength(head.headers);
  if (length !== undefined && length > config.bodyLimit) {
    const error = new BodyTooLargeError(config.bodyLimit);
    return errorResponse(error.status, error.type, error.message);
  }
  return undefined;
}

/** Hands an authenticated forwarded request to the receiver: the provider's bytes, headers, method, query. */
async function forward(
  receiver: WebhookReceiver,
  config: ForwardedEndpointConfig,
  head: ForwardedRequestHead,
  rawBody: Buffer,
): Promise<WebhookHttpResponse> {
  const provider = head.path.slice(config.prefix.length + 1);
  try {
    const receipt = await receiver.receiveWebhook({
      provider,
      tenant: head.query.org || undefined,
      method: headerValue(head.headers, FORWARDED_METHOD_HEADER) ?? 'POST',
      query: Object.fromEntries(new URLSearchParams(headerValue(head.headers, FORWARDED_QUERY_HEADER) ?? '')),
      headers: withoutEnvelope(head.headers),
      rawBody,
    });
    return jsonResponse(200, { received: true, ...receipt });
  } catch (error) {
    const disposition = describeError(error);
    if (disposition.serverFault) config.logger?.error({ err: error, provider }, 'forwarded webhook failed');
    return errorResponse(disposition.status, disposition.type, disposition.message, disposition.headers);
  }
}

/**
 * The central API's side of forwarding: checks the edge's shared secret, then hands the provider's
 * original bytes, headers, method and query to the same receiver (verification and inbox) as the
 * direct route. Options are validated here: a secret under 16 bytes (or `''`) stops start-up.
 */
export function createForwardedWebhookHandler(receiver: WebhookReceiver, options: ForwardedEndpointOptions) {
  const config = parseForwardingOptions(forwardedEndpointOptionsSchema, options, 'forwarding endpoint');
  return async (request: ForwardedRequestHead & { rawBody: Buffer }): Promise<WebhookHttpResponse> => {
    const refused = refuseHead(request, config);
    if (refused) return refused;
    if (request.rawBody.length > config.bodyLimit) return refuseBody(new BodyTooLargeError(config.bodyLimit));
    return forward(receiver, config, request, request.rawBody);
  };
}

function refuseBody(error: unknown): WebhookHttpResponse {
  const d = describeError(error);
  return errorResponse(d.status, d.type, d.message, d.headers);
}

/**
 * The forwarding endpoint as a node:http listener (or Express middleware: it never calls next). The head
 * is judged first; only an authenticated request's body is read, within bodyLimit and bodyTimeoutMs.
 */
export function createForwardedWebhookListener(receiver: WebhookReceiver, options: ForwardedEndpointOptions) {
  const config = parseForwardingOptions(forwardedEndpointOptionsSchema, options, 'forwarding endpoint');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = splitRequestTarget(req.url ?? '/');
    const head: ForwardedRequestHead = { method: req.method ?? 'GET', path, query, headers: req.headers };
    let response = refuseHead(head, config);
    if (!response) {
      try {
        response = await forward(receiver, config, head, await readNodeBody(req, config.bodyLimit, config.bodyTimeoutMs));
      } catch (error) {
        response = refuseBody(error);
      }
    }
    sendNodeResponse(req, res, response);
  };
}
