import {
  checkOptions,
  describeValue,
  functionOption,
  methodsOption,
  strictOptions,
  TenderError,
  wholeNumberOption,
} from '@tender/core';
import { z } from 'zod';
import { DEFAULT_CONTENT_TYPES } from './content-type.js';
import { normalizePrefix } from './route.js';

export const DEFAULT_PREFIX = '/hooks/payment';
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Time a client has to send the whole body once its headers arrived. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** pino-compatible: `logger.error({ err, provider }, 'message')`. */
export interface WebhookLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** One finished request, for logs and metrics. Never carries headers, body or secrets. */
export interface WebhookResult {
  status: number;
  method: string;
  /** Without the query string, which may carry a provider's shared key. */
  path: string;
  provider?: string;
  tenant?: string;
  /** Set when the receiver accepted the webhook. */
  outcome?: 'accepted' | 'duplicate' | 'ignored';
  event_id?: string;
  webhook_event_id?: string;
  action?: string;
  /** Set on failures: the `type` and `message` sent in the error body (safe to log). */
  error_type?: string;
  error_message?: string;
  /** From arrival (including reading the body) to the response being ready. */
  latency_ms: number;
}

export interface WebhookHandlerOptions {
  /** Mount path of the webhook routes; default `/hooks/payment`. */
  prefix?: string;
  /** Largest accepted body in bytes; default 1 MiB. Larger bodies get 413 and are not read further. */
  bodyLimit?: number;
  /**
   * Milliseconds the node:http, Express and forwarding adapters wait for the whole body; default 10 s.
   * A body still incomplete then gets 408 and the connection is closed (slow-body attacks).
   */
  bodyTimeoutMs?: number;
  /** Accepted POST media types (see content-type.ts for the pattern forms). */
  contentTypes?: readonly string[];
  logger?: WebhookLogger;
  /** Called once per request after the response is decided; errors it throws are logged and ignored. */
  onResult?: (result: WebhookResult) => void | Promise<void>;
}

export interface ResolvedOptions {
  prefix: string;
  bodyLimit: number;
  bodyTimeoutMs: number;
  contentTypes: readonly string[];
  logger?: WebhookLogger;
  onResult?: (result: WebhookResult) => void | Promise<void>;
}

/** A timeout: a whole, positive number of milliseconds (0 would mean "never", which is the hole). */
export const timeoutOption = (what: string) =>
  wholeNumberOption(`a positive integer number of milliseconds (${what}; 0 would never time out)`, 1);

export const bodyLimitOption = wholeNumberOption('a non-negative integer number of bytes (the largest body accepted)', 0);

export const loggerOption = methodsOption<WebhookLogger>('a pino-compatible logger', ['info', 'warn', 'error']).optional();

/** The options every route factory takes (createWebhookHandler and the node, Express, Fastify and Fetch adapters). */
export const webhookHandlerOptionsShape = {
  prefix: z
    .string({
      error: (issue) => `must be the mount path of the routes, e.g. "/hooks/payment", got ${describeValue(issue.input)}`,
    })
    .regex(/^[^?#\s]*$/, { error: 'must be a path without a query string, fragment or spaces, e.g. "/hooks/payment"' })
    .optional(),
  bodyLimit: bodyLimitOption,
  bodyTimeoutMs: timeoutOption('how long the whole body may take to arrive'),
  contentTypes: z
    .array(
      z
        .string({ error: 'must be a media type such as "application/json"' })
        .min(1, 'must be a media type such as "application/json"'),
      {
        error: (issue) => `must be an array of media types, e.g. ["application/json"], got ${describeValue(issue.input)}`,
      },
    )
    .min(1, 'must list at least one media type (use "*/*" to accept any)')
    .readonly()
    .optional(),
  logger: loggerOption,
  onResult: functionOption("a callback given each request's result"),
} satisfies Record<keyof WebhookHandlerOptions, z.ZodType>;

export const webhookHandlerOptionsSchema = strictOptions(webhookHandlerOptionsShape);

/** The receiver every factory is given first: a payment module, or a forwarding receiver at an edge. */
export function checkReceiver(receiver: unknown): void {
  if (typeof (receiver as { receiveWebhook?: unknown } | null)?.receiveWebhook === 'function') return;
  throw new TenderError(
    'invalid_data',
    'The webhook routes need a receiver (an object with receiveWebhook): the payment module ' +
      `(\`await createPaymentModule(…)\`) or \`createForwardingReceiver(…)\`, got ${describeValue(receiver)}.`,
  );
}

/** The options checked (a bad value or a misspelt name is invalid_data naming it), with their defaults. */
export function resolveOptions(options: WebhookHandlerOptions = {}): ResolvedOptions {
  checkOptions(webhookHandlerOptionsSchema, options, 'webhook handler');
  return {
    prefix: normalizePrefix(options.prefix ?? DEFAULT_PREFIX),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    contentTypes: options.contentTypes ?? DEFAULT_CONTENT_TYPES,
    logger: options.logger,
    onResult: options.onResult,
  };
}
