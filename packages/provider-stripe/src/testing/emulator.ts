import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatedStripeError } from './emulated-error.js';
import { EmulatorStore, type PaymentIntentStatus } from './emulator-store.js';
import { type FormObject, parseFormBody } from './form-body.js';
import type { StripeObject } from './objects.js';

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

interface CachedResponse {
  fingerprint: string;
  status: number;
  body: string;
}

type Handler = (params: FormObject, match: RegExpMatchArray) => StripeObject | { status: number; body: StripeObject };

const list = (url: string, data: StripeObject[]): StripeObject => ({ object: 'list', data, has_more: false, url });

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': `req_emu_${Math.random().toString(36).slice(2, 14)}`,
    ...headers,
  });
  response.end(body);
}

/**
 * A small Stripe API on 127.0.0.1 for tests, the demo and CI: the real SDK talks to it over HTTP. It keeps
 * PaymentIntents, Charges, Refunds, Customers, PaymentMethods and SetupIntents in memory, enforces Stripe's
 * state rules and error shapes, honours `Idempotency-Key`, and can be told to fail.
 */
export async function startStripeEmulator(options: { /** Default: a free port. */ port?: number } = {}): Promise<StripeEmulator> {
  const store = new EmulatorStore();
  const requests: RecordedRequest[] = [];
  const idempotency = new Map<string, CachedResponse>();
  const failures: EmulatedFailure[] = [];

  const routes: Array<[string, RegExp, Handler]> = [
    ['POST', /^\/v1\/payment_intents$/, (p) => store.createPaymentIntent(p)],
    ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (_p, m) => store.paymentIntent(m[1] as string)],
    ['POST', /^\/v1\/payment_intents\/([^/]+)$/, (p, m) => store.updatePaymentIntent(m[1] as string, p)],
    ['POST', /^\/v1\/payment_intents\/([^/]+)\/confirm$/, (p, m) => store.confirmPaymentIntent(m[1] as string, p)],
    ['POST', /^\/v1\/payment_intents\/([^/]+)\/capture$/, (p, m) => store.capturePaymentIntent(m[1] as string, p)],
    ['POST', /^\/v1\/payment_intents\/([^/]+)\/cancel$/, (p, m) => store.cancelPaymentIntent(m[1] as string, p)],
    ['GET', /^\/v1\/charges\/([^/]+)$/, (_p, m) => store.charge(m[1] as string)],
    ['POST', /^\/v1\/refunds$/, (p) => store.createRefund(p)],
    ['GET', /^\/v1\/refunds\/([^/]+)$/, (_p, m) => store.refund(m[1] as string)],
    ['POST', /^\/v1\/customers$/, (p) => store.createCustomer(p)],
    ['GET', /^\/v1\/customers\/([^/]+)$/, (_p, m) => store.customer(m[1] as string)],
    ['POST', /^\/v1\/customers\/([^/]+)$/, (p, m) => store.updateCustomer(m[1] as string, p)],
    ['DELETE', /^\/v1\/customers\/([^/]+)$/, (_p, m) => store.deleteCustomer(m[1] as string)],
    [
      'GET',
      /^\/v1\/customers\/([^/]+)\/payment_methods$/,
      (p, m) =>
        list(`/v1/customers/${m[1]}/payment_methods`, store.listPaymentMethods(m[1] as string, p.type as string | undefined)),
    ],
    [
      'GET',
      /^\/v1\/payment_methods$/,
      (p) => list('/v1/payment_methods', store.listPaymentMethods(p.customer as string, p.type as string | undefined)),
    ],
    ['GET', /^\/v1\/payment_methods\/([^/]+)$/, (_p, m) => store.paymentMethod(m[1] as string)],
    ['POST', /^\/v1\/payment_methods\/([^/]+)\/attach$/, (p, m) => store.attachPaymentMethod(m[1] as string, p)],
    ['POST', /^\/v1\/payment_methods\/([^/]+)\/detach$/, (p, m) => store.detachPaymentMethod(m[1] as string, p)],
    ['POST', /^\/v1\/setup_intents$/, (p) => store.createSetupIntent(p)],
  ];

  function route(method: string, path: string, params: FormObject): { status: number; body: string } {
    for (const [routeMethod, pattern, handler] of routes) {
      const match = path.match(pattern);
      if (routeMethod !== method || !match) continue;
      try {
        const { expand: _expand, ...rest } = params;
        const result = handler(rest, match);
        return { status: 200, body: JSON.stringify(result) };
      } catch (error) {
        if (error instanceof EmulatedStripeError) return { status: error.status, body: JSON.stringify(error.body) };
        throw error;
      }
    }
    const error = new EmulatedStripeError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). The Stripe emulator implements PaymentIntents, Refunds, Charges, Customers, PaymentMethods and SetupIntents.`,
    });
    return { status: 404, body: JSON.stringify(error.body) };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const raw = await readBody(request);
    const params = parseFormBody(method === 'POST' ? raw : url.search.slice(1));
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      params,
      idempotencyKey,
      stripeVersion: request.headers['stripe-version'] as string | undefined,
      clientTelemetry: request.headers['x-stripe-client-telemetry'] as string | undefined,
      status: 0,
      replayed: false,
    };
    requests.push(record);

    const failure = failures.shift();
    if (failure) {
      record.injected = failure;
      if (failure === 'connection_reset') {
        request.socket.destroy();
        return;
      }
      record.status = failure === 'rate_limit' ? 429 : 500;
      const body =
        failure === 'rate_limit'
          ? {
              error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' },
            }
          : { error: { type: 'api_error', message: 'An unknown error occurred (injected by the emulator).' } };
      send(response, record.status, JSON.stringify(body));
      return;
    }

    const authorization = request.headers.authorization ?? '';
    if (!/^Bearer (sk|rk)_(test|live)_\S+$/.test(authorization)) {
      record.status = 401;
      send(
        response,
        401,
        JSON.stringify({
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided: the emulator accepts sk_test_… keys.' },
        }),
      );
      return;
    }

    // Stripe keeps an idempotent result per key and account; a reused key with other parameters is refused.
    const cacheKey = method === 'POST' && idempotencyKey ? `${authorization}\n${idempotencyKey}` : undefined;
    const fingerprint = createHash('sha256').update(`${method} ${url.pathname}\n${raw}`).digest('hex');
    const cached = cacheKey ? idempotency.get(cacheKey) : undefined;
    if (cached) {
      if (cached.fingerprint !== fingerprint) {
        record.status = 400;
        send(
          response,
          400,
          JSON.stringify({
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          }),
        );
        return;
      }
      record.status = cached.status;
      record.replayed = true;
      send(response, cached.status, cached.body, {
        'idempotent-replayed': 'true',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      });
      return;
    }

    const result = route(method, url.pathname, params);
    if (cacheKey) idempotency.set(cacheKey, { fingerprint, ...result });
    record.status = result.status;
    send(response, result.status, result.body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, JSON.stringify({ error: { type: 'api_error', message: `Emulator bug: ${String(error)}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

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
    setPaymentIntentStatus: (id, status, patch) => copy(store.setStatus(store.paymentIntent(id), status, patch)),
    charge: (id) => copy(store.charge(id)),
    refund: (id) => copy(store.refund(id)),
    customer: (id) => copy(store.customer(id)),
    createPaymentMethod: (options) => copy(store.createPaymentMethod(options)),
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
