import type { EntityManager } from '@mikro-orm/postgresql';
import { addAmounts, compareAmounts, type PaymentCollectionStatus } from '@tender/core';
import { Capture, Payment, type PaymentCollection, PaymentSession, Refund } from '../models/index.js';

export interface CollectionTotals {
  authorized_amount: string;
  captured_amount: string;
  refunded_amount: string;
  status: PaymentCollectionStatus;
}

function sum(values: { amount: string }[]): string {
  return addAmounts('0', ...values.map((v) => v.amount));
}

/** The collection status that follows from its sessions, payments, captures and refunds. */
export function deriveStatus(
  amount: string,
  totals: Omit<CollectionTotals, 'status'>,
  sessionStatuses: string[],
  hasCanceledPayment: boolean,
): PaymentCollectionStatus {
  const { authorized_amount, captured_amount, refunded_amount } = totals;
  if (compareAmounts(refunded_amount, '0') > 0) {
    return compareAmounts(refunded_amount, captured_amount) >= 0 ? 'refunded' : 'partially_refunded';
  }
  if (compareAmounts(captured_amount, '0') > 0) {
    return compareAmounts(captured_amount, amount) >= 0 ? 'completed' : 'partially_captured';
  }
  if (compareAmounts(authorized_amount, '0') > 0) {
    return compareAmounts(authorized_amount, amount) >= 0 ? 'authorized' : 'partially_authorized';
  }
  if (sessionStatuses.length === 0) return hasCanceledPayment ? 'canceled' : 'not_paid';
  if (sessionStatuses.every((s) => s === 'canceled' || s === 'error')) {
    return sessionStatuses.some((s) => s === 'canceled') || hasCanceledPayment ? 'canceled' : 'failed';
  }
  return 'awaiting';
}

/**
 * Recomputes a collection's amounts and status from its rows. Must run inside the transaction that
 * holds the collection's row lock, after the change it reflects.
 */
export async function recomputeCollection(em: EntityManager, collection: PaymentCollection): Promise<CollectionTotals> {
  const sessions = await em.find(PaymentSession, { payment_collection: collection.id, deleted_at: null });
  const payments = await em.find(Payment, { payment_collection: collection.id });
  const paymentIds = payments.map((p) => p.id);
  const [captures, refunds] = paymentIds.length
    ? await Promise.all([
        em.find(Capture, { payment: { $in: paymentIds }, status: 'succeeded' }),
        em.find(Refund, { payment: { $in: paymentIds }, status: 'succeeded' }),
      ])
    : [[], []];
  const live = payments.filter((p) => !p.canceled_at);
  const totals = {
    authorized_amount: sum(live),
    captured_amount: sum(captures),
    refunded_amount: sum(refunds),
  };
  const status = deriveStatus(
    collection.amount,
    totals,
    sessions.map((s) => s.status),
    payments.some((p) => p.canceled_at),
  );
  collection.authorized_amount = totals.authorized_amount;
  collection.captured_amount = totals.captured_amount;
  collection.refunded_amount = totals.refunded_amount;
  collection.status = status;
  if ((status === 'completed' || status === 'partially_refunded' || status === 'refunded') && !collection.completed_at) {
    collection.completed_at = new Date();
  }
  return { ...totals, status };
}
