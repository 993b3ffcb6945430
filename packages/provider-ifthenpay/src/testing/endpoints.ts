import { randomInt, randomUUID } from 'node:crypto';
import { compareAmounts, subtractAmounts } from '@tender/core';
import type { EmulatorRequest, EmulatorResponse } from '@tender/core/testing';
import { MBWAY_REQUEST_ACCEPTED, MbwayStatusCodes } from '../mbway-status.js';
import type { EmulatedIfthenpayPayment, EmulatedStatus, IfthenpayAccount } from './account.js';

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

function create(account: IfthenpayAccount, method: 'multibanco' | 'mbway', body: Record<string, unknown>): EmulatorResponse {
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
  return method === 'multibanco' ? multibanco(account, payment, body) : mbway(account, payment, body);
}

function multibanco(
  account: IfthenpayAccount,
  payment: EmulatedIfthenpayPayment,
  body: Record<string, unknown>,
): EmulatorResponse {
  if (body.mbKey !== account.mbKey) return json(400, { Status: '-1', Message: 'Invalid mbKey' });
  payment.entity = '12345';
  payment.reference = String(randomInt(100_000_000, 999_999_999));
  account.payments.set(payment.requestId, payment);
  return json(200, {
    Amount: payment.amount,
    Entity: payment.entity,
    ExpiryDate: '',
    Message: 'Success',
    OrderId: payment.orderId,
    Reference: payment.reference,
    RequestId: payment.requestId,
    Status: '0',
  });
}

function mbway(account: IfthenpayAccount, payment: EmulatedIfthenpayPayment, body: Record<string, unknown>): EmulatorResponse {
  if (body.mbWayKey !== account.mbWayKey) return json(400, { Status: '999', Message: 'Invalid mbWayKey' });
  if (typeof body.mobileNumber !== 'string' || !/^\d{1,3}#\d{9}$/.test(body.mobileNumber)) {
    return json(400, { Status: '999', Message: 'mobileNumber must look like 351#912345678' });
  }
  payment.mobileNumber = body.mobileNumber;
  account.payments.set(payment.requestId, payment);
  return json(200, {
    Amount: payment.amount,
    Message: 'Pending',
    OrderId: payment.orderId,
    RequestId: payment.requestId,
    Status: MBWAY_REQUEST_ACCEPTED,
  });
}

function mbwayStatus(account: IfthenpayAccount, query: URLSearchParams): EmulatorResponse {
  const payment = account.payments.get(query.get('requestId') ?? '');
  if (query.get('mbWayKey') !== account.mbWayKey || !payment || payment.method !== 'mbway') {
    return json(404, { Status: '999', Message: 'Request not found' });
  }
  return json(200, {
    CreatedAt: '',
    Message: payment.status,
    RequestId: payment.requestId,
    Status: MBWAY_STATUS[payment.status],
  });
}

function refund(account: IfthenpayAccount, body: Record<string, unknown>): EmulatorResponse {
  if (body.backofficekey !== account.backofficeKey) return json(200, { Code: '-1', Message: 'Invalid backoffice key' });
  const payment = typeof body.requestId === 'string' ? account.payments.get(body.requestId) : undefined;
  if (!payment) return json(200, { Code: '-1', Message: 'Payment not found' });
  if (payment.status !== 'paid') return json(200, { Code: '-1', Message: 'Only paid payments can be refunded' });
  if (typeof body.amount !== 'string' || !AMOUNT.test(body.amount)) return json(200, { Code: '-1', Message: 'Invalid amount' });
  if (compareAmounts(body.amount, subtractAmounts(payment.amount, payment.refunded)) > 0) {
    return json(200, { Code: '-1', Message: 'Refund amount exceeds the amount left to refund' });
  }
  payment.refunded = subtractAmounts(payment.refunded, `-${body.amount}`);
  return json(200, { Code: '1', Message: 'Refund successfully requested' });
}

/** The Ifthenpay endpoints the provider calls, answered with the bodies and codes the real API uses. */
export function route(account: IfthenpayAccount, request: EmulatorRequest): EmulatorResponse {
  if (request.method === 'GET' && request.path === '/spg/payment/mbway/status') return mbwayStatus(account, request.query);
  if (request.method !== 'POST') return json(404, { Message: 'Not found' });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body || '{}') as Record<string, unknown>;
  } catch {
    return json(400, { Message: 'Invalid JSON' });
  }
  if (request.path === '/multibanco/reference/init') return create(account, 'multibanco', body);
  if (request.path === '/spg/payment/mbway') return create(account, 'mbway', body);
  if (request.path === '/endpoint/payments/refund') return refund(account, body);
  return json(404, { Message: 'Not found' });
}
