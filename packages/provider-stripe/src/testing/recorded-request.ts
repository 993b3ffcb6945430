import type { IncomingMessage } from 'node:http';
import type { FormObject } from './form-body.js';

/** How an injected failure looks to the client. */
export type EmulatedFailure = 'rate_limit' | 'connection_reset' | 'server_error';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/payment_intents/pi_…/capture`. */
  path: string;
  /** Decoded form body (POST) or query (GET/DELETE). */
  params: FormObject;
  idempotencyKey?: string;
  stripeVersion?: string;
  /** The SDK's `X-Stripe-Client-Telemetry` header, sent only when telemetry is on. */
  clientTelemetry?: string;
  /** HTTP status sent, or 0 when the connection was reset. */
  status: number;
  /** True when the response was replayed from the idempotency cache. */
  replayed: boolean;
  /** Set when the request was answered by an injected failure. */
  injected?: EmulatedFailure;
}

/** A request as it arrived; how it was answered is filled in later. */
export function recordOf(request: IncomingMessage, method: string, path: string, params: FormObject): RecordedRequest {
  return {
    method,
    path,
    params,
    idempotencyKey: request.headers['idempotency-key'] as string | undefined,
    stripeVersion: request.headers['stripe-version'] as string | undefined,
    clientTelemetry: request.headers['x-stripe-client-telemetry'] as string | undefined,
    status: 0,
    replayed: false,
  };
}
