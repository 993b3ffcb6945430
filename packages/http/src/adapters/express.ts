import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookReceiver } from '@tender/core';
import { createWebhookHandler } from '../handler.js';
import { resolveOptions, type WebhookHandlerOptions } from '../options.js';
import { type NextFunction, type NodeRequest, serveNodeRequest } from './node.js';

const EXPRESS_CONSUMED_MESSAGE =
  'The webhook request body was already parsed (req.body is set) before the Tender webhook router ran, so the exact ' +
  'bytes the provider signed are gone. Mount the router before express.json() / express.urlencoded() / express.text(): ' +
  'app.use(expressWebhookRouter(payments)) first, then app.use(express.json()); or parse the webhook path with ' +
  "express.raw({ type: '*/*' }), which keeps the raw Buffer.";

/**
 * Express router for the webhook routes: `app.use(expressWebhookRouter(payments))`.
 *
 * It is a plain middleware, so `express` is never imported at runtime and the mount point
 * works like a Router's: paths are matched against `req.url`, relative to where it is mounted.
 * Requests outside the prefix go to `next()`.
 */
export function expressWebhookRouter(
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void {
  const handler = createWebhookHandler(receiver, options);
  const serve = { consumedBodyMessage: EXPRESS_CONSUMED_MESSAGE, bodyTimeoutMs: resolveOptions(options).bodyTimeoutMs };
  return (req, res, next) => {
    serveNodeRequest(handler, req as NodeRequest, res, next, serve).catch(next);
  };
}
