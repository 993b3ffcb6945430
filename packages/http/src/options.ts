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

export function resolveOptions(options: WebhookHandlerOptions = {}): ResolvedOptions {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) {
    throw new TypeError(`@tender/http: bodyLimit must be a non-negative integer number of bytes, got ${String(bodyLimit)}.`);
  }
  const bodyTimeoutMs = positiveMilliseconds('bodyTimeoutMs', options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  const contentTypes = options.contentTypes ?? DEFAULT_CONTENT_TYPES;
  if (contentTypes.length === 0) {
    throw new TypeError('@tender/http: contentTypes must list at least one media type (use "*/*" to accept any).');
  }
  return {
    prefix: normalizePrefix(options.prefix ?? DEFAULT_PREFIX),
    bodyLimit,
    bodyTimeoutMs,
    contentTypes,
    logger: options.logger,
    onResult: options.onResult,
  };
}

/** A timeout option: a whole, positive number of milliseconds (0 would mean "never", which is the hole). */
export function positiveMilliseconds(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`@tender/http: ${name} must be a positive integer number of milliseconds, got ${String(value)}.`);
  }
  return value;
}
