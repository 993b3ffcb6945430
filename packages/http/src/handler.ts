import type { HeaderValue, WebhookReceipt, WebhookReceiver } from '@tender/core';
import { acceptsAnything, isAcceptedMediaType, mediaType } from './content-type.js';
import { describeError } from './error-status.js';
import { BodyTooLargeError, WebhookHttpError } from './http-errors.js';
import { checkReceiver, resolveOptions, type WebhookHandlerOptions, type WebhookLogger, type WebhookResult } from './options.js';
import { splitRequestTarget } from './query.js';
import { errorResponse, receiptResponse, type WebhookHttpResponse } from './responses.js';
import { matchWebhookRoute, type RouteMatch } from './route.js';

const ALLOWED_METHODS = ['GET', 'POST'] as const;
const ALLOW_HEADER = ALLOWED_METHODS.join(', ');

/** Everything known about a request before its body is read. */
export interface WebhookRequestHead {
  method: string;
  /** The path relative to where the routes are mounted, without the query string. */
  path: string;
  query?: Record<string, string>;
  headers: Record<string, HeaderValue>;
  /** `performance.now()` when the request arrived, so latency includes reading the body. */
  startedAt?: number;
}

export interface WebhookHttpRequest extends WebhookRequestHead {
  rawBody?: Buffer;
}

/** The adapters' pre-read verdict: they must not read a body the handler would refuse anyway. */
export type Inspection =
  | { kind: 'outside' }
  | { kind: 'reject'; error: WebhookHttpError }
  | { kind: 'read-body'; bodyLimit: number };

export interface WebhookHandler {
  (request: WebhookHttpRequest): Promise<WebhookHttpResponse>;
  /** Route, method, declared size and content type: the checks that need no body. */
  inspect(head: WebhookRequestHead): Inspection;
  /** Answers (and logs, and reports) a failure an adapter met before it had a body. */
  fail(head: WebhookRequestHead, error: unknown): Promise<WebhookHttpResponse>;
  readonly prefix: string;
  readonly bodyLimit: number;
}

function lowerCaseHeaders(headers: Record<string, HeaderValue>): Record<string, HeaderValue> {
  const lowered: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) lowered[name.toLowerCase()] = value;
  }
  return lowered;
}

function headerText(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function declaredLength(headers: Record<string, HeaderValue>): number | undefined {
  const raw = headerText(headers['content-length']);
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

function unsupportedMediaType(type: string | undefined, accepted: readonly string[]): WebhookHttpError {
  const shown = type === undefined ? 'none' : `"${type.slice(0, 100)}"`;
  return new WebhookHttpError(
    415,
    'unsupported_media_type',
    `Unsupported Content-Type ${shown} for a webhook POST; send one of: ${accepted.join(', ')}.`,
  );
}

/**
 * The framework-agnostic webhook endpoint: routes `GET|POST {prefix}/:identifier_:provider[/:tenant]`
 * to `receiver.receiveWebhook` with the raw body, and turns the receipt or error into a JSON response.
 * Adapters call `inspect` first so that a request that will be refused is never read.
 */
export function createWebhookHandler(receiver: WebhookReceiver, options: WebhookHandlerOptions = {}): WebhookHandler {
  checkReceiver(receiver);
  const config = resolveOptions(options);
  const { logger } = config;
  // A failure answered before the receiver saw the request (413, a body a parser consumed, 404…) is logged
  // by nobody else: without a logger of its own the handler uses the receiver's (a payment module has one).
  const receiverLogger = (receiver as { logger?: WebhookLogger }).logger;

  function check(head: WebhookRequestHead, headers: Record<string, HeaderValue>, route: RouteMatch): Inspection {
    if (route.kind === 'outside') return { kind: 'outside' };
    if (route.kind === 'invalid') {
      return { kind: 'reject', error: new WebhookHttpError(404, 'not_found', 'No webhook route at this path.') };
    }
    const method = head.method.toUpperCase();
    if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
      return {
        kind: 'reject',
        error: new WebhookHttpError(405, 'method_not_allowed', `Method ${method.slice(0, 20)} is not allowed; use GET or POST.`, {
          allow: ALLOW_HEADER,
        }),
      };
    }
    const length = declaredLength(headers);
    if (length !== undefined && length > config.bodyLimit)
      return { kind: 'reject', error: new BodyTooLargeError(config.bodyLimit) };
    if (method === 'POST' && !acceptsAnything(config.contentTypes)) {
      const type = mediaType(headers['content-type']);
      const bodyDeclared = (length !== undefined && length > 0) || headers['transfer-encoding'] !== undefined;
      if (type !== undefined ? !isAcceptedMediaType(type, config.contentTypes) : bodyDeclared) {
        return { kind: 'reject', error: unsupportedMediaType(type, config.contentTypes) };
      }
    }
    return { kind: 'read-body', bodyLimit: config.bodyLimit };
  }

  function inspect(head: WebhookRequestHead): Inspection {
    return check(head, lowerCaseHeaders(head.headers), matchWebhookRoute(head.path, config.prefix));
  }

  /** `error` is only passed for server faults: their response hides it, so the log must not. */
  function report(result: WebhookResult, error?: unknown, seenByReceiver = true): void {
    const log = logger ?? (seenByReceiver ? undefined : receiverLogger);
    if (log) {
      const { status } = result;
      if (status >= 500) log.error({ ...result, err: error }, 'webhook failed');
      else if (status >= 400) log.warn(result, 'webhook rejected');
      else log.info(result, 'webhook received');
    }
    if (!config.onResult) return;
    // A metrics hook must never change the answer the provider gets.
    const onHookError = (hookError: unknown) => logger?.error({ err: hookError }, 'webhook onResult hook threw');
    try {
      Promise.resolve(config.onResult(result)).catch(onHookError);
    } catch (hookError) {
      onHookError(hookError);
    }
  }

  function baseResult(head: WebhookRequestHead, route: RouteMatch, status: number, startedAt: number): WebhookResult {
    return {
      status,
      method: head.method.toUpperCase(),
      // Never the query: some providers put a shared key there (ifthenpay's anti-phishing key).
      path: splitRequestTarget(head.path).path,
      ...(route.kind === 'webhook' ? { provider: route.provider, tenant: route.tenant } : {}),
      latency_ms: performance.now() - startedAt,
    };
  }

  function failure(
    head: WebhookRequestHead,
    route: RouteMatch,
    error: unknown,
    startedAt: number,
    seen = false,
  ): WebhookHttpResponse {
    const disposition = describeError(error);
    report(
      {
        ...baseResult(head, route, disposition.status, startedAt),
        error_type: disposition.type,
        error_message: disposition.message,
      },
      disposition.serverFault ? error : undefined,
      seen,
    );
    return errorResponse(disposition.status, disposition.type, disposition.message, disposition.headers);
  }

  function success(head: WebhookRequestHead, route: RouteMatch, receipt: WebhookReceipt, startedAt: number): WebhookHttpResponse {
    report({
      ...baseResult(head, route, 200, startedAt),
      outcome: receipt.outcome,
      event_id: receipt.event_id,
      webhook_event_id: receipt.webhook_event_id,
      action: receipt.action,
    });
    return receiptResponse(receipt);
  }

  const handler = async (request: WebhookHttpRequest): Promise<WebhookHttpResponse> => {
    const startedAt = request.startedAt ?? performance.now();
    const headers = lowerCaseHeaders(request.headers);
    const route = matchWebhookRoute(request.path, config.prefix);
    const verdict = check(request, headers, route);
    if (verdict.kind === 'outside') {
      return failure(request, route, new WebhookHttpError(404, 'not_found', 'No webhook route at this path.'), startedAt);
    }
    if (verdict.kind === 'reject') return failure(request, route, verdict.error, startedAt);
    if (route.kind !== 'webhook') throw new Error('unreachable: check() accepted a non-webhook route');

    const rawBody = request.rawBody ?? Buffer.alloc(0);
    if (rawBody.length > config.bodyLimit) return failure(request, route, new BodyTooLargeError(config.bodyLimit), startedAt);
    const method = request.method.toUpperCase();
    if (
      method === 'POST' &&
      rawBody.length > 0 &&
      mediaType(headers['content-type']) === undefined &&
      !acceptsAnything(config.contentTypes)
    ) {
      return failure(request, route, unsupportedMediaType(undefined, config.contentTypes), startedAt);
    }

    try {
      const receipt = await receiver.receiveWebhook({
        provider: route.provider,
        tenant: route.tenant,
        method,
        headers,
        query: request.query ?? splitRequestTarget(request.path).query,
        rawBody,
      });
      return success(request, route, receipt, startedAt);
    } catch (error) {
      return failure(request, route, error, startedAt, true);
    }
  };

  return Object.assign(handler, {
    inspect,
    fail: async (head: WebhookRequestHead, error: unknown) =>
      failure(head, matchWebhookRoute(head.path, config.prefix), error, head.startedAt ?? performance.now()),
    prefix: config.prefix,
    bodyLimit: config.bodyLimit,
  });
}
