import { randomInt, randomUUID } from 'node:crypto';
import { compareAmounts } from '@tender/core';
import type { EmulatorResponse } from '@tender/core/testing';
import type { EasypayPaymentStatus } from '../status.js';
import { type EasypayLedger, type EmulatedSingle, easypayTimestamp } from './ledger.js';
import { error, MONEY, ok } from './replies.js';

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

/** How the customer pays: a Multibanco reference, a card page on the emulator, or an MB WAY alias. */
function methodDetails(ledger: EasypayLedger, method: string, id: string, phone: unknown): EmulatedSingle['method'] {
  const details: EmulatedSingle['method'] = { type: method, status: 'pending' };
  if (method === 'mb') {
    details.entity = '10611';
    details.reference = String(randomInt(100_000_000, 999_999_999));
  } else if (method === 'cc') {
    details.url = `${ledger.baseUrl}/_emulator/cc/${id}`;
  } else {
    details.alias = `351#${phone}`;
  }
  return details;
}

export function createSingle(ledger: EasypayLedger, body: Record<string, unknown>): EmulatorResponse {
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
  const details = methodDetails(ledger, method, id, customer.phone);
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
    created_at: easypayTimestamp(),
  };
  ledger.payments.set(id, payment);
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

export function deleteSingle(ledger: EasypayLedger, id: string): EmulatorResponse {
  const payment = ledger.payments.get(id);
  if (!payment) return error(404, `single ${id} not found`);
  if (payment.method.type === 'mb') return error(400, 'This delete operation is not applicable for MB method');
  if (payment.payment_status !== 'pending' && payment.payment_status !== 'authorised') {
    return error(400, `cannot delete a ${payment.payment_status} payment`);
  }
  payment.payment_status = 'deleted';
  return { status: 204 };
}

export function setSingleStatus(ledger: EasypayLedger, id: string, status: EasypayPaymentStatus): EmulatedSingle {
  const payment = ledger.payments.get(id);
  if (!payment) throw new Error(`Easypay emulator has no single payment ${id}`);
  payment.payment_status = status;
  payment.method.status = status === 'paid' || status === 'authorised' ? 'success' : status === 'pending' ? 'pending' : 'failed';
  if (status === 'paid') payment.paid_at = new Date().toISOString();
  return payment;
}

export function seedSingle(
  ledger: EasypayLedger,
  fields: Partial<EmulatedSingle> & Pick<EmulatedSingle, 'key' | 'value'>,
): EmulatedSingle {
  const payment: EmulatedSingle = {
    id: randomUUID(),
    type: 'sale',
    method: { type: 'mb', status: 'pending' },
    currency: 'EUR',
    payment_status: 'pending',
    customer: { id: randomUUID() },
    created_at: easypayTimestamp(),
    ...fields,
  };
  ledger.payments.set(payment.id, payment);
  return payment;
}
