import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { WebhookReceiver } from '@tender/core';
import { checkOptions, methodsOption, strictOptions } from '@tender/core';
import { z } from 'zod';
import { declaresBody } from '../body/declares-body.js';
import { readNodeBody } from '../body/read-node-body.js';
import { type Admitted, createWebhookHandler, type WebhookRequestHead } from '../handler.js';
import { WebhookHttpError } from '../http-errors.js';
import { DEFAULT_PREFIX, type WebhookHandlerOptions, webhookHandlerOptionsShape } from '../options.js';
import { splitRequestTarget } from '../query.js';
import type { WebhookHttpResponse } from '../responses.js';
import { normalizePrefix } from '../route.js';

export interface FastifyWebhookPluginOptions extends WebhookHandlerOptions {
  receiver: WebhookReceiver;
}

// What the plugin uses of Fastify, written out so that this package's declarations type-check without
// `fastify` installed (it is an optional peer). A Fastify 5 instance is assignable to these.
export interface FastifyRequestLike {
  raw: IncomingMessage;
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(key: string, value: unknown): FastifyReplyLike;
  headers(values: Record<string, unknown>): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}
type RouteHook = (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
export interface FastifyInstanceLike {
  prefix: string;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    parser: (request: FastifyRequestLike, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) => void,
  ): unknown;
  setErrorHandler(handler: (error: unknown, request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
  route(options: { method: string[]; url: string; exposeHeadRoute: boolean; onRequest: RouteHook; handler: RouteHook }): unknown;
}
export type FastifyWebhookPlugin = (fastify: FastifyInstanceLike, options: FastifyWebhookPluginOptions) => Promise<void>;

/** The handler's options and the receiver; `logLevel` and `logSerializers` are `register`'s own, passed on too. */
const fastifyPluginOptionsSchema = strictOptions({
  ...webhookHandlerOptionsShape,
  receiver: methodsOption('the payment module (or a forwarding receiver)', ['receiveWebhook']),
  logLevel: z.unknown().optional(),
  logSerializers: z.unknown().optional(),
});

/** Every method is routed here so that the handler, not Fastify's 404, answers 405 with `Allow`. */
const ROUTED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

const FASTIFY_ERROR_TYPES: Record<number, string> = { 413: 'payload_too_large', 415: 'unsupported_media_type' };

/**
 * Fastify's own request errors (bad Content-Length, unparsable media type) carry a safe
 * message and a 4xx status; anything else stays opaque and becomes a 500.
 */
function fromFastifyError(error: unknown): unknown {
  const { statusCode, code, message } = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  ) {
    return new WebhookHttpError(statusCode, FASTIFY_ERROR_TYPES[statusCode] ?? 'invalid_data', String(message));
  }
  return error;
}

function send(request: FastifyRequestLike, reply: FastifyReplyLike, response: WebhookHttpResponse): FastifyReplyLike {
  reply.code(response.status).headers(response.headers);
  if (!request.raw.readableEnded && declaresBody(request.raw.headers)) reply.header('connection', 'close');
  return reply.send(response.body);
}

/**
 * Registers `GET|POST /:identifier_:provider[/:tenant]` under `/hooks/payment`, or under the
 * `prefix` given to `register` (Fastify applies it; then it replaces the default).
 *
 * The plugin is encapsulated (no fastify-plugin wrapper) on purpose: it removes the inherited
 * body parsers and installs one that keeps the raw Buffer, and that must not leak into the
 * host's other routes, which keep their JSON parsing.
 */
export const fastifyWebhookPlugin: FastifyWebhookPlugin = async (fastify, options) => {
  checkOptions(fastifyPluginOptionsSchema, options, 'Fastify webhook plugin');
  const {
    receiver,
    logLevel: _logLevel,
    logSerializers: _logSerializers,
    ...handlerOptions
  } = options as FastifyWebhookPluginOptions & { logLevel?: unknown; logSerializers?: unknown };
  const hostGavePrefix = options.prefix !== undefined;
  const relativePrefix = hostGavePrefix ? '' : DEFAULT_PREFIX;
  const handler = createWebhookHandler(receiver, {
    ...handlerOptions,
    prefix: normalizePrefix(`${fastify.prefix}${relativePrefix}`),
  });
  const heads = new WeakMap<FastifyRequestLike, WebhookRequestHead>();
  // What onRequest's checks admitted, so the handler does not check the head again.
  const admitted = new WeakMap<FastifyRequestLike, Admitted>();
  const headOf = (request: FastifyRequestLike): WebhookRequestHead => {
    let head = heads.get(request);
    if (!head) {
      const { path, query } = splitRequestTarget(request.raw.url ?? request.url);
      head = { method: request.method, path, query, headers: request.headers, startedAt: performance.now() };
      heads.set(request, head);
    }
    return head;
  };

  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => {
    readNodeBody(payload, handler.bodyLimit).then(
      (body) => done(null, body),
      (error: Error) => done(error, undefined),
    );
  });

  fastify.setErrorHandler(async (error, request, reply) => {
    return send(request, reply, await handler.fail(headOf(request), fromFastifyError(error)));
  });

  fastify.route({
    method: ROUTED_METHODS,
    url: `${relativePrefix}/*`,
    exposeHeadRoute: false,
    // Refuse before Fastify reads a body: wrong route, method, declared size or media type.
    onRequest: async (request, reply) => {
      const head = headOf(request);
      const verdict = handler.inspect(head);
      if (verdict.kind !== 'read-body') return send(request, reply, await handler(head));
      admitted.set(request, verdict);
    },
    handler: async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = admitted.get(request);
      const withBody = { ...headOf(request), rawBody };
      return send(request, reply, await (verdict ? handler.receive(verdict, withBody) : handler(withBody)));
    },
  });
};
