import { createHash } from 'node:crypto';
import type { RouteResult } from './routes.js';

interface CachedResponse extends RouteResult {
  fingerprint: string;
}

export interface IdempotentRequest {
  method: string;
  path: string;
  /** The body as sent: a reused key must come with the same bytes. */
  raw: string;
  authorization: string;
  key?: string;
}

export interface IdempotentAnswer extends RouteResult {
  headers: Record<string, string>;
  replayed: boolean;
}

/** Stripe keeps an idempotent result per key and account; a reused key with other parameters is refused. */
export class IdempotencyCache {
  private readonly results = new Map<string, CachedResponse>();

  /** The result kept for the request's key, or `run`'s, which is kept when the request is a POST with a key. */
  answer(request: IdempotentRequest, run: () => RouteResult): IdempotentAnswer {
    const { method, key } = request;
    const echo: Record<string, string> = key ? { 'idempotency-key': key } : {};
    const slot = method === 'POST' && key ? `${request.authorization}\n${key}` : undefined;
    const fingerprint = createHash('sha256').update(`${method} ${request.path}\n${request.raw}`).digest('hex');
    const cached = slot ? this.results.get(slot) : undefined;
    if (cached && cached.fingerprint !== fingerprint) {
      return { status: 400, body: reusedKeyError(key), headers: {}, replayed: false };
    }
    if (cached) {
      return { status: cached.status, body: cached.body, headers: { 'idempotent-replayed': 'true', ...echo }, replayed: true };
    }
    const result = run();
    if (slot) this.results.set(slot, { fingerprint, ...result });
    return { ...result, headers: echo, replayed: false };
  }

  clear(): void {
    this.results.clear();
  }
}

function reusedKeyError(key: string | undefined): string {
  return JSON.stringify({
    error: {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    },
  });
}
