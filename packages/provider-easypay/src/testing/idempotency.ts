import type { EmulatorRequest, EmulatorResponse } from '@tender/core/testing';
import { error } from './replies.js';

/** A POST's response, kept under its Idempotency-Key with the request it answered. */
export type IdempotentResponses = Map<string, { body: string; path: string; response: EmulatorResponse }>;

/** `run`'s response, or for a POST whose Idempotency-Key was seen before, the response kept for it. */
export function idempotent(stored: IdempotentResponses, request: EmulatorRequest, run: () => EmulatorResponse): EmulatorResponse {
  const idempotencyKey = request.method === 'POST' ? request.headers['idempotency-key'] : undefined;
  if (typeof idempotencyKey !== 'string') return run();
  if (idempotencyKey.length > 50) return error(400, 'Idempotency-Key must be at most 50 characters');
  const previous = stored.get(idempotencyKey);
  if (previous) {
    if (previous.body !== request.body || previous.path !== request.path) {
      return error(409, 'Idempotency-Key reused with a different request');
    }
    return { ...previous.response, headers: { ...previous.response.headers, 'Idempotency-Replay': '1' } };
  }
  const response = run();
  // Easypay does not store transient errors (400, 412, 429, 503) so they can be retried.
  if (![400, 412, 429, 503].includes(response.status)) {
    stored.set(idempotencyKey, { body: request.body, path: request.path, response });
  }
  return response;
}
