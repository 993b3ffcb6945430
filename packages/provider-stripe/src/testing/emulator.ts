import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorStore } from './emulator-store.js';
import { send } from './http.js';
import { IdempotencyCache } from './idempotency.js';
import type { StripeObject } from './objects.js';
import { type PaymentIntentStatus, setPaymentIntentStatus } from './payment-intent-status.js';
import { createPaymentMethod } from './payment-methods.js';
import type { EmulatedFailure, RecordedRequest } from './recorded-request.js';
import { type EmulatorState, handleRequest } from './request-handler.js';

export type { EmulatedFailure, RecordedRequest } from './recorded-request.js';

/** SDK options that point the real `stripe` client (and the provider's `apiHost`/`apiPort`/`apiProtocol`) here. */
export interface StripeEmulatorOptions {
  apiHost: string;
  apiPort: number;
  apiProtocol: 'http';
}

export interface StripeEmulator {
  /** `{ apiHost, apiPort, apiProtocol }`: spread into the provider's options. */
  readonly options: StripeEmulatorOptions;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order (failures included). */
  readonly requests: readonly RecordedRequest[];
  /** The next `count` requests fail the given way (default: HTTP 429 rate limit), then service resumes. */
  failNext(count: number, failure?: EmulatedFailure): void;
  /** A stored PaymentIntent (a copy; throws when unknown). */
  paymentIntent(id: string): StripeObject;
  /** The latest PaymentIntent whose `metadata.session_id` is this Tender session (a copy), if any. */
  paymentIntentForSession(sessionId: string): StripeObject | undefined;
  /**
   * Moves a PaymentIntent to `status` as if the customer or the bank had acted, with the fields Stripe sets
   * alongside (amount_capturable, amount_received, charge, next_action, processing, last_payment_error).
   * `patch` overrides fields, e.g. `{ last_payment_error: {...} }` or `{ processing: { type: 'sepa_debit' } }`.
   */
  setPaymentIntentStatus(id: string, status: PaymentIntentStatus, patch?: StripeObject): StripeObject;
  charge(id: string): StripeObject;
  refund(id: string): StripeObject;
  customer(id: string): StripeObject;
  /** Saves a card (optionally on a customer), as a storefront's SetupIntent would. */
  createPaymentMethod(options?: { customer?: string; type?: string; last4?: string }): StripeObject;
  /** Forgets every object, recorded request, idempotency key and pending failure. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A small Stripe API on 127.0.0.1 for tests, the demo and CI: the real SDK talks to it over HTTP. It keeps
 * PaymentIntents, Charges, Refunds, Customers, PaymentMethods and SetupIntents in memory, enforces Stripe's
 * state rules and error shapes, honours `Idempotency-Key`, and can be told to fail.
 */
export async function startStripeEmulator(options: { /** Default: a free port. */ port?: number } = {}): Promise<StripeEmulator> {
  const state: EmulatorState = { store: new EmulatorStore(), requests: [], failures: [], idempotency: new IdempotencyCache() };
  const server: Server = createServer((request, response) => {
    handleRequest(state, request, response).catch((error: unknown) => {
      send(response, 500, JSON.stringify({ error: { type: 'api_error', message: `Emulator bug: ${String(error)}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return controls(state, server, port);
}

/** What a test holds: the SDK options, the request log, failure injection, and copies of the stored objects. */
function controls(state: EmulatorState, server: Server, port: number): StripeEmulator {
  const { store, requests, failures, idempotency } = state;
  const copy = (object: StripeObject) => structuredClone(object);
  return {
    options: { apiHost: '127.0.0.1', apiPort: port, apiProtocol: 'http' },
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, failure = 'rate_limit') {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    paymentIntent: (id) => copy(store.paymentIntent(id)),
    paymentIntentForSession(sessionId) {
      const matches = [...store.paymentIntents.values()].filter(
        (intent) => (intent.metadata as Record<string, string> | null)?.session_id === sessionId,
      );
      const latest = matches.at(-1);
      return latest ? copy(latest) : undefined;
    },
    setPaymentIntentStatus: (id, status, patch) => copy(setPaymentIntentStatus(store, store.paymentIntent(id), status, patch)),
    charge: (id) => copy(store.charge(id)),
    refund: (id) => copy(store.refund(id)),
    customer: (id) => copy(store.customer(id)),
    createPaymentMethod: (options) => copy(createPaymentMethod(store, options)),
    reset() {
      store.clear();
      requests.length = 0;
      idempotency.clear();
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
