import type { HeaderValue } from '@tender/core';

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
