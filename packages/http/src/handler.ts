import type { WebhookReceiver } from '@tender/core';
import { type Admitted, checkBody, checkHead, type Inspection, lowerCaseHeaders, noWebhookRoute } from './admission.js';
import { type AnswerContext, answerFailure, answerReceipt } from './answer.js';
import { checkReceiver, resolveOptions, type WebhookHandlerOptions, type WebhookLogger } from './options.js';
import { splitRequestTarget } from './query.js';
import type { WebhookHttpResponse } from './responses.js';
import { matchWebhookRoute } from './route.js';
import type { WebhookHttpRequest, WebhookRequestHead } from './webhook-request.js';

export type { Admitted, Inspection } from './admission.js';
export type { WebhookHttpRequest, WebhookRequestHead } from './webhook-request.js';

export interface WebhookHandler {
  (request: WebhookHttpRequest): Promise<WebhookHttpResponse>;
  /** Route, method, declared size and content type: the checks that need no body. */
  inspect(head: WebhookRequestHead): Inspection;
  /**
   * The request whose head `inspect` admitted, now with its body: what is left to check (the body's own
   * size and type), then the receiver. The head's checks are not run again.
   */
  receive(admitted: Admitted, request: WebhookHttpRequest): Promise<WebhookHttpResponse>;
  /** Answers (and logs, and reports) a failure an adapter met before it had a body. */
  fail(head: WebhookRequestHead, error: unknown): Promise<WebhookHttpResponse>;
  readonly prefix: string;
  readonly bodyLimit: number;
}

interface WebhookEndpoint extends AnswerContext {
  readonly receiver: WebhookReceiver;
}

async function handle(endpoint: WebhookEndpoint, request: WebhookHttpRequest): Promise<WebhookHttpResponse> {
  const route = matchWebhookRoute(request.path, endpoint.config.prefix);
  const verdict = checkHead(endpoint.config, request, lowerCaseHeaders(request.headers), route);
  if (verdict.kind === 'read-body') return receive(endpoint, verdict, request);
  const error = verdict.kind === 'outside' ? noWebhookRoute() : verdict.error;
  return answerFailure(endpoint, request, route, error, request.startedAt ?? performance.now());
}

async function receive(endpoint: WebhookEndpoint, admitted: Admitted, request: WebhookHttpRequest): Promise<WebhookHttpResponse> {
  const { config } = endpoint;
  const { route, headers } = admitted;
  const startedAt = request.startedAt ?? performance.now();
  const rawBody = request.rawBody ?? Buffer.alloc(0);
  const method = request.method.toUpperCase();
  const refusal = checkBody(config, method, headers, rawBody);
  if (refusal) return answerFailure(endpoint, request, route, refusal, startedAt);

  try {
    const receipt = await endpoint.receiver.receiveWebhook({
      provider: route.provider,
      tenant: route.tenant,
      method,
      headers,
      query: request.query ?? splitRequestTarget(request.path).query,
      rawBody,
    });
    return answerReceipt(endpoint, request, route, receipt, startedAt);
  } catch (error) {
    return answerFailure(endpoint, request, route, error, startedAt, true);
  }
}

/**
 * The framework-agnostic webhook endpoint: routes `GET|POST {prefix}/:identifier_:provider[/:tenant]`
 * to `receiver.receiveWebhook` with the raw body, and turns the receipt or error into a JSON response.
 * Adapters call `inspect` first so that a request that will be refused is never read.
 */
export function createWebhookHandler(receiver: WebhookReceiver, options: WebhookHandlerOptions = {}): WebhookHandler {
  checkReceiver(receiver);
  const config = resolveOptions(options);
  const endpoint: WebhookEndpoint = {
    receiver,
    config,
    // A failure answered before the receiver saw the request (413, a body a parser consumed, 404…) is logged
    // by nobody else: without a logger of its own the handler uses the receiver's (a payment module has one).
    receiverLogger: (receiver as { logger?: WebhookLogger }).logger,
  };
  const handler = (request: WebhookHttpRequest) => handle(endpoint, request);
  return Object.assign(handler, {
    inspect: (head: WebhookRequestHead) =>
      checkHead(config, head, lowerCaseHeaders(head.headers), matchWebhookRoute(head.path, config.prefix)),
    receive: (admitted: Admitted, request: WebhookHttpRequest) => receive(endpoint, admitted, request),
    fail: async (head: WebhookRequestHead, error: unknown) =>
      answerFailure(endpoint, head, matchWebhookRoute(head.path, config.prefix), error, head.startedAt ?? performance.now()),
    prefix: config.prefix,
    bodyLimit: config.bodyLimit,
  });
}
