import { createServer, type Server } from 'node:http';
import type { WebhookReceiver } from '@tender/core';
import { checkOptions, strictOptions } from '@tender/core';
import {
  checkReceiver,
  resolveOptions,
  timeoutOption,
  type WebhookHandlerOptions,
  webhookHandlerOptionsShape,
} from '../options.js';
import { createNodeListener } from './node.js';

/** Time a client has to send the request line and every header. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

export interface NodeServerOptions extends WebhookHandlerOptions {
  /** Milliseconds from connection to the end of the headers; default 10 s, then node answers 408 and closes. */
  headersTimeoutMs?: number;
}

export const nodeServerOptionsSchema = strictOptions({
  ...webhookHandlerOptionsShape,
  headersTimeoutMs: timeoutOption('how long the request line and headers may take'),
});

/**
 * A `node:http` server serving the webhook routes, with both slow-client timeouts set: headers (node's
 * `headersTimeout`, which a request listener cannot enforce since it only runs once the headers are in)
 * and body (the adapter's `bodyTimeoutMs`). Call `.listen(port)` on it.
 */
export function createNodeServer(receiver: WebhookReceiver, options: NodeServerOptions = {}): Server {
  checkReceiver(receiver);
  checkOptions(nodeServerOptionsSchema, options, 'node server');
  const { headersTimeoutMs, ...handlerOptions } = options;
  const headersTimeout = headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const { bodyTimeoutMs } = resolveOptions(handlerOptions);
  return createServer(
    {
      headersTimeout,
      // node's own cap on receiving a whole request: a backstop behind bodyTimeoutMs, which answers first.
      requestTimeout: headersTimeout + bodyTimeoutMs + 1000,
      // node enforces both on this interval (30 s by default), which would stretch a 10 s timeout to 40 s.
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    },
    createNodeListener(receiver, handlerOptions),
  );
}
