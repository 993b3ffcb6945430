import { randomInt, randomUUID } from 'node:crypto';
import { compareAmounts, jsonNumber, parseExactJson, subtractAmounts } from '@tender/core';
import { type EmulatorRequest, type EmulatorResponse, startLocalServer } from '@tender/core/testing';
import type { EasypayPaymentStatus } from '../status.js';

/** Easypay's public sandbox credentials: harmless, and what the emulator expects by default. */
export const EMULATOR_ACCOUNT_ID = '2b0f63e2-9fb5-4e52-aca0-b4bf0339bbe6';
export const EMULATOR_API_KEY = 'eae4aa59-8e5b-4ec2-887d-b02768481a92';

export interface EmulatedOperation {
  id: string;
  payment_id: string;
  transaction_key?: string;
  /** Decimal string. */
  value: string;
  status: 'success' | 'processing' | 'failed';
}

export interface EmulatedSingle {
  id: string;
  key: string;
  type: 'sale' | 'authorisation';
  method: { type: string; status: string; entity?: string; reference?: string; url?: string; alias?: string };
  /** Decimal string, written to JSON as a number literal. */
  value: string;
  currency: string;
  payment_status: EasypayPaymentStatus;
  customer: Record<string, unknown>;
  capture?: { transaction_key?: string; descriptive?: string };
  created_at: string;
  paid_at?: string;
}

export interface EasypayEmulator {
  /** API root to pass as the provider's `apiBaseUrl` (ends in /2.0 like the real one). */
  baseUrl: string;
  accountId: string;
  apiKey: string;
  payments: Map<string, EmulatedSingle>;
  captures: Map<string, EmulatedOperation>;
  refunds: Map<string, EmulatedOperation>;
  voids: Map<string, EmulatedOperation>;
  /** Every request received, for assertions (headers lower-cased). */
  requests: Array<{ method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }>;
  /** What happens at Easypay's side: the customer pays, declines, the reference expires… */
  setStatus(id: string, status: EasypayPaymentStatus): EmulatedSingle;
  /**
   * Puts a payment straight into the emulator, as if created earlier at Easypay (no API validation):
   * for tests that start from a given state, e.g. a notification about an existing payment.
   */
  seedPayment(fields: Partial<EmulatedSingle> & Pick<EmulatedSingle, 'key' | 'value'>): EmulatedSingle;
  /** Changes a refund / void operation's status (e.g. to leave it "processing"). */
  setOperationStatus(id: string, status: EmulatedOperation['status']): EmulatedOperation;
  close(): Promise<void>;
}

export interface EasypayEmulatorOptions {
  accountId?: string;
  apiKey?: string;
  /** Default: a free port. */
  port?: number;
}

const ERROR_CODES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };

function error(status: number, message: string): EmulatorResponse {
  return { status, json: JSON.stringify({ status: 'error', message: [message || ERROR_CODES[status]] }) };
}

function ok(status: number, body: Record<string, unknown>): EmulatorResponse {
  return { status, json: JSON.stringify(body) };
}

const MONEY = /^\d{1,9}(\.\d{1,2})?$/;

/**
 * Easypay's sandbox answers MB WAY for these phones at once, as if the customer acted in the app:
 * 911234567 accepts, 917654321 fails, 913456789 declines; any other number (919876543 in the docs)
 * stays pending until setStatus.
 */
export const MBWAY_SANDBOX_PHONES: Readonly<Record<string, 'accepted' | 'failed' | 'declined'>> = {
  '911234567': 'accepted',
  '917654321': 'failed',
  '913456789': 'declined',
};

function settleMbway(payment: EmulatedSingle, outcome: 'accepted' | 'failed' | 'declined'): void {
  if (outcome === 'accepted') {
    payment.payment_status = payment.type === 'sale' ? 'paid' : 'authorised';
    payment.method.status = 'success';
  } else {
    payment.payment_status = outcome;
    payment.method.status = 'failed';
  }
}

function singleJson(payment: EmulatedSingle): Record<string, unknown> {
  return { ...payment, value: jsonNumber(payment.value) };
}

function operationJson(operation: EmulatedOperation): Record<string, unknown> {
  return { ...operation, value: jsonNumber(operation.value) };
}

/**
 * A local Easypay 2.0: the endpoints the provider uses (single create/details/delete, capture, void,
 * refund and their details), AccountId/ApiKey checks and Idempotency-Key replay, on 127.0.0.1.
 */
export async function startEasypayEmulator(options: EasypayEmulatorOptions = {}): Promise<EasypayEmulator> {
  const accountId = options.accountId ?? EMULATOR_ACCOUNT_ID;
  const apiKey = options.apiKey ?? EMULATOR_API_KEY;
  const payments = new Map<string, EmulatedSingle>();
  const captures = new Map<string, EmulatedOperation>();
  const refunds = new Map<string, EmulatedOperation>();
  const voids = new Map<string, EmulatedOperation>();
  const requests: EasypayEmulator['requests'] = [];
  const idempotency = new Map<string, { body: string; path: string; response: EmulatorResponse }>();
  let baseUrl = '';

  const refunded = (paymentId: string) =>
    [...refunds.values()]
      .filter((refund) => refund.payment_id === paymentId && refund.status === 'success')
      .reduce((sum, refund) => subtractAmounts(sum, `-${refund.value}`), '0');

  function createSingle(body: Record<string, unknown>): EmulatorResponse {
    const { key, type, method, value, currency = 'EUR' } = body;
    const customer = (body.customer ?? {}) as Record<string, unknown>;
    if (typeof key !== 'string' || !key) return error(400, 'key must be a non-empty string');
    if (type !== 'sale' && type !== 'authorisation') return error(400, 'type must be "sale" or "authorisation"');
    if (method !== 'mb' && method !== 'mbw' && method !== 'cc') return error(400, `method "${String(method)}" is not enabled`);
    if (method === 'mb' && type !== 'sale') return error(400, 'Multibanco only allows sale');
    if (typeof value !== 'string' || !MONEY.test(value) || compareAmounts(value, '0.5') < 0) {
      return error(400, 'value must be a number >= 0.5 with at most 2 decimals');
    }
    if (currency !== 'EUR') return error(400, 'currency must be EUR');
    if (method === 'mbw' && typeof customer.phone !== 'string') return error(400, 'MB WAY needs customer.phone');
    const id = randomUUID();
    const details: EmulatedSingle['method'] = { type: method, status: 'pending' };
    if (method === 'mb') {
      details.entity = '10611';
      details.reference = String(randomInt(100_000_000, 999_999_999));
    } else if (method === 'cc') {
      details.url = `${baseUrl}/_emulator/cc/${id}`;
    } else {
      details.alias = `351#${customer.phone}`;
    }
    const payment: EmulatedSingle = {
      id,
      key,
      type,
      method: details,
      value,
      currency,
      payment_status: 'pending',
      customer: { id: randomUUID(), ...customer },
      capture: body.capture as EmulatedSingle['capture'],
      created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
    };
    payments.set(id, payment);
    const outcome = method === 'mbw' ? MBWAY_SANDBOX_PHONES[String(customer.phone)] : undefined;
    if (outcome) settleMbway(payment, outcome);
    return ok(201, {
      status: 'ok',
      message: ['Your request was successfully created'],
      id,
      method: details,
      customer: { id: payment.customer.id },
    });
  }

  function operate(kind: 'capture' | 'void' | 'refund', paymentId: string, body: Record<string, unknown>): EmulatorResponse {
    const payment = payments.get(paymentId);
    if (!payment) return error(404, `single payment ${paymentId} not found`);
    const transaction_key = typeof body.transaction_key === 'string' ? body.transaction_key : undefined;
    if (transaction_key && transaction_key.length > 50) return error(400, 'transaction_key must be at most 50 characters');
    const value = kind === 'void' ? payment.value : body.value;
    if (typeof value !== 'string' || !MONEY.test(value)) return error(400, 'value must be a number with at most 2 decimals');
    const operation: EmulatedOperation = { id: randomUUID(), payment_id: paymentId, transaction_key, value, status: 'success' };
    if (kind === 'capture') {
      if (payment.payment_status !== 'authorised') return error(400, `cannot capture a ${payment.payment_status} payment`);
      if (compareAmounts(value, payment.value) > 0) return error(400, 'capture value exceeds the authorised value');
      captures.set(operation.id, operation);
      payment.payment_status = 'paid';
      payment.paid_at = new Date().toISOString();
    } else if (kind === 'void') {
      if (payment.payment_status !== 'authorised') return error(400, `cannot void a ${payment.payment_status} payment`);
      voids.set(operation.id, operation);
      payment.payment_status = 'voided';
    } else {
      if (payment.payment_status !== 'paid' && payment.payment_status !== 'partially_refunded') {
        return error(400, `cannot refund a ${payment.payment_status} payment`);
      }
      const remaining = subtractAmounts(payment.value, refunded(paymentId));
      if (compareAmounts(value, remaining) > 0) return error(400, `refund value exceeds the ${remaining} left to refund`);
      refunds.set(operation.id, operation);
      payment.payment_status = compareAmounts(value, remaining) === 0 ? 'refunded' : 'partially_refunded';
    }
    return ok(201, { status: 'ok', message: [`Your ${kind} was successfully created`], id: operation.id });
  }

  function route(request: EmulatorRequest): EmulatorResponse {
    const [, resource, id] = request.path.split('/');
    if (request.method === 'GET') {
      const found =
        resource === 'single'
          ? payments.get(id)
          : resource === 'capture'
            ? captures.get(id)
            : resource === 'refund'
              ? refunds.get(id)
              : resource === 'void'
                ? voids.get(id)
                : undefined;
      if (!found) return error(404, `${resource} ${id} not found`);
      return ok(200, resource === 'single' ? singleJson(found as EmulatedSingle) : operationJson(found as EmulatedOperation));
    }
    if (request.method === 'DELETE' && resource === 'single' && id) {
      const payment = payments.get(id);
      if (!payment) return error(404, `single ${id} not found`);
      if (payment.method.type === 'mb') return error(400, 'This delete operation is not applicable for MB method');
      if (payment.payment_status !== 'pending' && payment.payment_status !== 'authorised') {
        return error(400, `cannot delete a ${payment.payment_status} payment`);
      }
      payment.payment_status = 'deleted';
      return { status: 204 };
    }
    if (request.method !== 'POST') return error(404, '');
    let body: Record<string, unknown>;
    try {
      body = (parseExactJson(request.body || '{}', 'text') ?? {}) as Record<string, unknown>;
    } catch {
      return error(400, 'Invalid JSON body');
    }
    if (resource === 'single' && !id) return createSingle(body);
    if ((resource === 'capture' || resource === 'void' || resource === 'refund') && id) return operate(resource, id, body);
    return error(404, '');
  }

  const serve = (request: EmulatorRequest): EmulatorResponse => {
    requests.push({ method: request.method, path: request.path, headers: { ...request.headers }, body: request.body });
    if (request.headers.accountid !== accountId || request.headers.apikey !== apiKey) {
      return error(403, 'Authentication Error: Invalid AccountId or ApiKey');
    }
    const idempotencyKey = request.method === 'POST' ? request.headers['idempotency-key'] : undefined;
    if (typeof idempotencyKey !== 'string') return route(request);
    if (idempotencyKey.length > 50) return error(400, 'Idempotency-Key must be at most 50 characters');
    const stored = idempotency.get(idempotencyKey);
    if (stored) {
      if (stored.body !== request.body || stored.path !== request.path) {
        return error(409, 'Idempotency-Key reused with a different request');
      }
      return { ...stored.response, headers: { ...stored.response.headers, 'Idempotency-Replay': '1' } };
    }
    const response = route(request);
    // Easypay does not store transient errors (400, 412, 429, 503) so they can be retried.
    if (![400, 412, 429, 503].includes(response.status)) {
      idempotency.set(idempotencyKey, { body: request.body, path: request.path, response });
    }
    return response;
  };
  const server = await startLocalServer(serve, '/2.0', options.port);
  baseUrl = server.baseUrl;

  return {
    baseUrl,
    accountId,
    apiKey,
    payments,
    captures,
    refunds,
    voids,
    requests,
    setStatus(id, status) {
      const payment = payments.get(id);
      if (!payment) throw new Error(`Easypay emulator has no single payment ${id}`);
      payment.payment_status = status;
      payment.method.status =
        status === 'paid' || status === 'authorised' ? 'success' : status === 'pending' ? 'pending' : 'failed';
      if (status === 'paid') payment.paid_at = new Date().toISOString();
      return payment;
    },
    seedPayment(fields) {
      const payment: EmulatedSingle = {
        id: randomUUID(),
        type: 'sale',
        method: { type: 'mb', status: 'pending' },
        currency: 'EUR',
        payment_status: 'pending',
        customer: { id: randomUUID() },
        created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
        ...fields,
      };
      payments.set(payment.id, payment);
      return payment;
    },
    setOperationStatus(id, status) {
      const operation = captures.get(id) ?? refunds.get(id) ?? voids.get(id);
      if (!operation) throw new Error(`Easypay emulator has no capture, refund or void ${id}`);
      operation.status = status;
      return operation;
    },
    close: () => server.close(),
  };
}
