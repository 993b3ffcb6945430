import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookReceiver } from '@tender/core';
import { declaresBody } from '../body/declares-body.js';
import { readNodeBody } from '../body/read-node-body.js';
import { createWebhookHandler, type WebhookHandler, type WebhookRequestHead } from '../handler.js';
import { BodyAlreadyConsumedError, WebhookHttpError } from '../http-errors.js';
import { DEFAULT_BODY_TIMEOUT_MS, resolveOptions, type WebhookHandlerOptions } from '../options.js';
import { splitRequestTarget } from '../query.js';
import type { WebhookHttpResponse } from '../responses.js';

/** Connect-style `next`. */
export type NextFunction = (error?: unknown) => void;

/** A request a body parser may already have been through (Express, Connect, body-parser). */
export type NodeRequest = IncomingMessage & { body?: unknown };

/**
 * How long a connection whose body was refused may keep sending before it is cut. Closing a
 * socket with unread input makes the kernel send RST, which can destroy the 413 on its way to
 * the client; draining briefly (discarding, never buffering) lets the response arrive first.
 */
const LINGER_MS = 2000;
const LINGER_BYTES = 8 * 1024 * 1024;

export interface NodeServeOptions {
  /** Explains, per framework, how to mount the routes when a parser already consumed the body. */
  consumedBodyMessage?: string;
  /** Milliseconds the whole body may take to arrive; default 10 s, then 408 (see WebhookHandlerOptions). */
  bodyTimeoutMs?: number;
}

const DEFAULT_CONSUMED_MESSAGE =
  'The webhook request body was already read by a body parser before the Tender webhook handler, so the exact bytes ' +
  'the provider signed are gone. Mount the Tender webhook handler before any body parser (express.json(), ' +
  'express.urlencoded(), express.text(), body-parser), or parse that path with a raw parser that keeps the Buffer ' +
  "(express.raw({ type: '*/*' })).";

/**
 * The raw body when an upstream raw parser left it as a Buffer, an error when an upstream
 * parser consumed it into something else, undefined when the stream is still ours to read.
 */
function bodyFromUpstream(req: NodeRequest, message: string): Buffer | WebhookHttpError | undefined {
  if (!req.readableEnded) return undefined;
  if (Buffer.isBuffer(req.body)) return req.body;
  if (!declaresBody(req.headers)) return Buffer.alloc(0);
  return new BodyAlreadyConsumedError(message);
}

/** Discards (without keeping) whatever the client still sends, then closes the connection. */
function lingerAndClose(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  let discarded = 0;
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  });
  req.once('end', () => clearTimeout(timer));
  req.socket.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * Writes `response`; when the request body was left unread (refused before reading), the connection is
 * closed after the answer, once the client had a moment to stop sending (see lingerAndClose).
 */
export function sendNodeResponse(req: IncomingMessage, res: ServerResponse, response: WebhookHttpResponse): void {
  if (res.headersSent || res.writableEnded) return;
  const bodyLeftUnread = !req.readableEnded && declaresBody(req.headers);
  const headers = bodyLeftUnread ? { ...response.headers, connection: 'close' } : response.headers;
  res.writeHead(response.status, headers);
  res.end(response.body);
  if (bodyLeftUnread) res.once('finish', () => lingerAndClose(req));
}

/**
 * Serves one request with an already-built handler. `next` (middleware use) receives the
 * requests outside the prefix; without it they get the handler's 404.
 */
export async function serveNodeRequest(
  handler: WebhookHandler,
  req: NodeRequest,
  res: ServerResponse,
  next?: NextFunction,
  options: NodeServeOptions = {},
): Promise<void> {
  const startedAt = performance.now();
  const { path, query } = splitRequestTarget(req.url ?? '/');
  const head: WebhookRequestHead = { method: req.method ?? 'GET', path, query, headers: req.headers, startedAt };

  const verdict = handler.inspect(head);
  if (verdict.kind === 'outside' && next) {
    next();
    return;
  }
  if (verdict.kind !== 'read-body') {
    sendNodeResponse(req, res, await handler(head));
    return;
  }

  const upstream = bodyFromUpstream(req, options.consumedBodyMessage ?? DEFAULT_CONSUMED_MESSAGE);
  if (upstream instanceof WebhookHttpError) {
    sendNodeResponse(req, res, await handler.fail(head, upstream));
    return;
  }
  let rawBody: Buffer;
  try {
    rawBody = upstream ?? (await readNodeBody(req, verdict.bodyLimit, options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS));
  } catch (error) {
    sendNodeResponse(req, res, await handler.fail(head, error));
    return;
  }
  sendNodeResponse(req, res, await handler.receive(verdict, { ...head, rawBody }));
}

/** A whole `node:http` request listener: `http.createServer(createNodeListener(payments))`. */
export function createNodeListener(
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = createWebhookHandler(receiver, options);
  const serve = { bodyTimeoutMs: resolveOptions(options).bodyTimeoutMs };
  return (req, res) => {
    serveNodeRequest(handler, req, res, undefined, serve).catch((error) => crash(res, error, options));
  };
}

/** Connect-style middleware: answers under the prefix, calls `next()` for everything else. */
export function nodeMiddleware(
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void {
  const handler = createWebhookHandler(receiver, options);
  const serve = { bodyTimeoutMs: resolveOptions(options).bodyTimeoutMs };
  return (req, res, next) => {
    serveNodeRequest(handler, req, res, next, serve).catch(next);
  };
}

/** Last resort when writing the response itself failed: never leave the client hanging. */
function crash(res: ServerResponse, error: unknown, options: WebhookHandlerOptions): void {
  options.logger?.error({ err: error }, 'webhook adapter failed');
  if (!res.headersSent) {
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { type: 'internal_error', message: 'internal error' } }));
  } else {
    res.destroy();
  }
}
