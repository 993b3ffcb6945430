import { randomUUID } from 'node:crypto';
import { compareAmounts, subtractAmounts } from '@tender/core';
import type { EmulatorResponse } from '@tender/core/testing';
import type { EasypayLedger, EmulatedOperation, OperationKind } from './ledger.js';
import { error, MONEY, ok } from './replies.js';

/** A capture, void or refund on a single payment, refused where Easypay refuses it for the payment's status. */
export function operate(
  ledger: EasypayLedger,
  kind: OperationKind,
  paymentId: string,
  body: Record<string, unknown>,
): EmulatorResponse {
  const payment = ledger.payments.get(paymentId);
  if (!payment) return error(404, `single payment ${paymentId} not found`);
  const transaction_key = typeof body.transaction_key === 'string' ? body.transaction_key : undefined;
  if (transaction_key && transaction_key.length > 50) return error(400, 'transaction_key must be at most 50 characters');
  const value = kind === 'void' ? payment.value : body.value;
  if (typeof value !== 'string' || !MONEY.test(value)) return error(400, 'value must be a number with at most 2 decimals');
  const operation: EmulatedOperation = { id: randomUUID(), payment_id: paymentId, transaction_key, value, status: 'success' };
  if (kind === 'capture') {
    if (payment.payment_status !== 'authorised') return error(400, `cannot capture a ${payment.payment_status} payment`);
    if (compareAmounts(value, payment.value) > 0) return error(400, 'capture value exceeds the authorised value');
    ledger.captures.set(operation.id, operation);
    payment.payment_status = 'paid';
    payment.paid_at = new Date().toISOString();
  } else if (kind === 'void') {
    if (payment.payment_status !== 'authorised') return error(400, `cannot void a ${payment.payment_status} payment`);
    ledger.voids.set(operation.id, operation);
    payment.payment_status = 'voided';
  } else {
    if (payment.payment_status !== 'paid' && payment.payment_status !== 'partially_refunded') {
      return error(400, `cannot refund a ${payment.payment_status} payment`);
    }
    const remaining = subtractAmounts(payment.value, ledger.refunded(paymentId));
    if (compareAmounts(value, remaining) > 0) return error(400, `refund value exceeds the ${remaining} left to refund`);
    ledger.refunds.set(operation.id, operation);
    payment.payment_status = compareAmounts(value, remaining) === 0 ? 'refunded' : 'partially_refunded';
  }
  return ok(201, { status: 'ok', message: [`Your ${kind} was successfully created`], id: operation.id });
}

export function setOperationStatus(ledger: EasypayLedger, id: string, status: EmulatedOperation['status']): EmulatedOperation {
  const operation = ledger.captures.get(id) ?? ledger.refunds.get(id) ?? ledger.voids.get(id);
  if (!operation) throw new Error(`Easypay emulator has no capture, refund or void ${id}`);
  operation.status = status;
  return operation;
}
