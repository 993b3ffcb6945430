import { randomInt, randomUUID } from 'node:crypto';
import { compareAmounts, subtractAmounts } from '@tender/core';
import { type EmulatorRequest, type EmulatorResponse, startLocalServer } from '@tender/core/testing';
import { MBWAY_REQUEST_ACCEPTED, MbwayStatusCodes } from '../mbway-status.js';
import { buildIfthenpayCallback, type IfthenpayCallbackStyle, type WebhookDelivery } from './callback.js';

export const EMULATOR_MB_KEY = 'EMU-000001';
export const EMULATOR_MBWAY_KEY = 'EMU-000002';
export const EMULATOR_BACKOFFICE_KEY = '0000-0000-0000-0000';
export const EMULATOR_ANTI_PHISHING_KEY = 'emulator-anti-phishing-key';

export type EmulatedStatus = 'pending' | 'paid' | 'rejected' | 'expired' | 'declined';

export interface EmulatedIfthenpayPayment {
  requestId: string;
  method: 'multibanco' | 'mbway';
  orderId: string;
  /** Decimal string with two decimals. */
  amount: string;
  status: EmulatedStatus;
  entity?: string;
  reference?: string;
  mobileNumber?: string;
  refunded: string;
  paidAt?: string;
}

export interface IfthenpayEmulator {
  /** Pass as the provider's `apiBaseUrl`. */
  baseUrl: string;
  mbKey: string;
  mbWayKey: string;
  backofficeKey: string;
  antiPhishingKey: string;
  payments: Map<string, EmulatedIfthenpayPayment>;
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: string }>;
  /** What happens on the customer's side: pays, rejects in the app, lets it expire… */
  setStatus(requestId: string, status: EmulatedStatus): EmulatedIfthenpayPayment;
  /** The callback Ifthenpay sends for a paid request (the payment is marked paid first). */
  pay(requestId: string, style?: IfthenpayCallbackStyle): WebhookDelivery;
  close(): Promise<void>;
}

export interface IfthenpayEmulatorOptions {
  mbKey?: string;
  mbWayKey?: string;
  backofficeKey?: string;
  antiPhishingKey?: string;
  /** Default: a free port. */
  port?: number;
}

const MBWAY_STATUS: Record<EmulatedStatus, string> = {
  pending: MbwayStatusCodes.PENDING,
  paid: MbwayStatusCodes.PAID,
  rejected: MbwayStatusCodes.REJECTED,
  expired: MbwayStatusCodes.EXPIRED,
  declined: MbwayStatusCodes.DECLINED,
};

const AMOUNT = /^\d{1,7}\.\d{2}$/;

function json(status: number, body: Record<string, unknown>): EmulatorResponse {
  return { status, json: JSON.stringify(body) };
}

/**
 * A local Ifthenpay API on 127.0.0.1: Multibanco reference creation, MB WAY requests and their
 * status, refunds, with the keys checked like the real one. Callbacks are built with `pay()`.
 */
export async function startIfthenpayEmulator(options: IfthenpayEmulatorOptions = {}): Promise<IfthenpayEmulator> {
  const mbKey = options.mbKey ?? EMULATOR_MB_KEY;
  const mbWayKey = options.mbWayKey ?? EMULATOR_MBWAY_KEY;
  const backofficeKey = options.backofficeKey ?? EMULATOR_BACKOFFICE_KEY;
  const antiPhishingKey = options.antiPhishingKey ?? EMULATOR_ANTI_PHISHING_KEY;
  const payments = new Map<string, EmulatedIfthenpayPayment>();
  const requests: IfthenpayEmulator['requests'] = [];

  function create(method: 'multibanco' | 'mbway', body: Record<string, unknown>): EmulatorResponse {
    const { orderId, amount } = body;
    if (typeof orderId !== 'string' || !orderId) return json(400, { Status: '-1', Message: 'orderId is required' });
    if (typeof amount !== 'string' || !AMOUNT.test(amount) || compareAmounts(amount, '0.10') < 0) {
      return json(400, { Status: '-1', Message: 'amount must be a string like "10.00" (decimal point, two decimals)' });
    }
    const payment: EmulatedIfthenpayPayment = {
      requestId: randomUUID().replace(/-/g, '').slice(0, 20),
      method,
      orderId,
      amount,
      status: 'pending',
      refunded: '0',
    };
    if (method === 'multibanco') {
      if (body.mbKey !== mbKey) return json(400, { Status: '-1', Message: 'Invalid mbKey' });
      payment.entity = '12345';
      payment.reference = String(randomInt(100_000_000, 999_999_999));
      payments.set(payment.requestId, payment);
      return json(200, {
        Amount: amount,
        Entity: payment.entity,
        ExpiryDate: '',
        Message: 'Success',
        OrderId: orderId,
        Reference: payment.reference,
        RequestId: payment.requestId,
        Status: '0',
      });
    }
    if (body.mbWayKey !== mbWayKey) return json(400, { Status: '999', Message: 'Invalid mbWayKey' });
    if (typeof body.mobileNumber !== 'string' || !/^\d{1,3}#\d{9}$/.test(body.mobileNumber)) {
      return json(400, { Status: '999', Message: 'mobileNumber must look like 351#912345678' });
    }
    payment.mobileNumber = body.mobileNumber;
    payments.set(payment.requestId, payment);
    return json(200, {
      Amount: amount,
      Message: 'Pending',
      OrderId: orderId,
      RequestId: payment.requestId,
      Status: MBWAY_REQUEST_ACCEPTED,
    });
  }

  function refund(body: Record<string, unknown>): EmulatorResponse {
    if (body.backofficekey !== backofficeKey) return json(200, { Code: '-1', Message: 'Invalid backoffice key' });
    const payment = typeof body.requestId === 'string' ? payments.get(body.requestId) : undefined;
    if (!payment) return json(200, { Code: '-1', Message: 'Payment not found' });
    if (payment.status !== 'paid') return json(200, { Code: '-1', Message: 'Only paid payments can be refunded' });
    if (typeof body.amount !== 'string' || !AMOUNT.test(body.amount)) return json(200, { Code: '-1', Message: 'Invalid amount' });
    if (compareAmounts(body.amount, subtractAmounts(payment.amount, payment.refunded)) > 0) {
      return json(200, { Code: '-1', Message: 'Refund amount exceeds the amount left to refund' });
    }
    payment.refunded = subtractAmounts(payment.refunded, `-${body.amount}`);
    return json(200, { Code: '1', Message: 'Refund successfully requested' });
  }

  function route(request: EmulatorRequest): EmulatorResponse {
    if (request.method === 'GET' && request.path === '/spg/payment/mbway/status') {
      const payment = payments.get(request.query.get('requestId') ?? '');
      if (request.query.get('mbWayKey') !== mbWayKey || !payment || payment.method !== 'mbway') {
        return json(404, { Status: '999', Message: 'Request not found' });
      }
      return json(200, {
        CreatedAt: '',
        Message: payment.status,
        RequestId: payment.requestId,
        Status: MBWAY_STATUS[payment.status],
      });
    }
    if (request.method !== 'POST') return json(404, { Message: 'Not found' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body || '{}') as Record<string, unknown>;
    } catch {
      return json(400, { Message: 'Invalid JSON' });
    }
    if (request.path === '/multibanco/reference/init') return create('multibanco', body);
    if (request.path === '/spg/payment/mbway') return create('mbway', body);
    if (request.path === '/endpoint/payments/refund') return refund(body);
    return json(404, { Message: 'Not found' });
  }

  const serve = (request: EmulatorRequest): EmulatorResponse => {
    requests.push({
      method: request.method,
      path: request.path,
      query: Object.fromEntries(request.query),
      body: request.body,
    });
    return route(request);
  };
  const server = await startLocalServer(serve, '', options.port);

  function setStatus(requestId: string, status: EmulatedStatus): EmulatedIfthenpayPayment {
    const payment = payments.get(requestId);
    if (!payment) throw new Error(`Ifthenpay emulator has no request ${requestId}`);
    payment.status = status;
    if (status === 'paid') payment.paidAt = new Date().toISOString();
    return payment;
  }

  return {
    baseUrl: server.baseUrl,
    mbKey,
    mbWayKey,
    backofficeKey,
    antiPhishingKey,
    payments,
    requests,
    setStatus,
    pay(requestId, style) {
      const payment = setStatus(requestId, 'paid');
      return buildIfthenpayCallback(
        {
          antiPhishingKey,
          orderId: payment.orderId,
          amount: payment.amount,
          requestId: payment.requestId,
          entity: payment.entity,
          reference: payment.reference,
        },
        style,
      );
    },
    close: () => server.close(),
  };
}
