import type { EntityManager } from '@mikro-orm/postgresql';
import { compareAmounts, normalizeAmount, type PaymentCollectionStatus } from '@tender/core';
import type { SqlExecutor } from '../database/prepared-sql.js';
import type { NewDomainEvent } from '../events/event-bus.js';
import type { PaymentCollection } from '../models/index.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { STORE_COLLECTION_TOTALS_CTE, TOTALS_SQL } from '../sql/payment-collection.js';

export interface CollectionTotals {
  authorized_amount: string;
  captured_amount: string;
  refunded_amount: string;
  status: PaymentCollectionStatus;
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

/** What TOTALS_SQL reads of a collection's rows: their sums, and its sessions' statuses. */
export interface CollectionRowsSummary {
  session_statuses: string[];
  authorized_amount: string;
  has_canceled_payment: boolean;
  captured_amount: string;
  refunded_amount: string;
}

/** A collection's totals and status, from a summary of its rows. */
export function totalsFrom(amount: string, rows: CollectionRowsSummary): CollectionTotals {
  const totals = {
    authorized_amount: normalizeAmount(rows.authorized_amount),
    captured_amount: normalizeAmount(rows.captured_amount),
    refunded_amount: normalizeAmount(rows.refunded_amount),
  };
  return { ...totals, status: deriveStatus(amount, totals, rows.session_statuses, rows.has_canceled_payment) };
}

/** A collection's totals and status derived from its rows, in one round trip; reads what the database holds. */
async function deriveTotals(em: SqlExecutor, id: string, amount: string): Promise<CollectionTotals> {
  const [row] = await em.execute<CollectionRowsSummary[]>(TOTALS_SQL, Array(5).fill(id));
  return totalsFrom(amount, row!);
}

const COMPLETING = new Set<PaymentCollectionStatus>(['completed', 'partially_refunded', 'refunded']);

/** A collection reaching this status gets its `completed_at` (once). */
function completesCollection(status: PaymentCollectionStatus): boolean {
  return COMPLETING.has(status);
}

/**
 * Recomputes a collection's amounts and status from its rows, in one round trip. Must run inside the
 * transaction that holds the collection's row lock, after the change it reflects.
 */
export async function recomputeCollection(em: EntityManager, collection: PaymentCollection): Promise<CollectionTotals> {
  await em.flush(); // the aggregate reads the database, so pending changes must be in it
  const totals = await deriveTotals(em, collection.id, collection.amount);
  collection.authorized_amount = totals.authorized_amount;
  collection.captured_amount = totals.captured_amount;
  collection.refunded_amount = totals.refunded_amount;
  collection.status = totals.status;
  if (completesCollection(totals.status) && !collection.completed_at) collection.completed_at = new Date();
  return totals;
}

/** The values a SET clause of `setCollectionTotals` (sql/payment-collection.ts) stores, in the order of `TOTALS_VALUES`. */
export function collectionTotalsParams(totals: CollectionTotals): unknown[] {
  return [
    totals.authorized_amount,
    totals.captured_amount,
    totals.refunded_amount,
    totals.status,
    completesCollection(totals.status),
  ];
}

/**
 * `recomputeCollection` for a collection locked by `lockCollectionRows` (no entity): one aggregate, then one
 * statement that stores the totals and appends `events` (the change's domain events) with them.
 */
export async function recomputeCollectionRow(
  em: SqlExecutor,
  collection: { id: string; amount: string },
  events: readonly NewDomainEvent[] = [],
): Promise<CollectionTotals> {
  const totals = await deriveTotals(em, collection.id, collection.amount);
  await storeCollectionTotals(em, collection.id, totals, events);
  return totals;
}

/** Stores a locked collection's totals, derived by the caller from its rows, and appends `events` in the same statement. */
export async function storeCollectionTotals(
  em: SqlExecutor,
  collectionId: string,
  totals: CollectionTotals,
  events: readonly NewDomainEvent[] = [],
): Promise<void> {
  await writeOutboxEvents(em, events, {
    ctes: STORE_COLLECTION_TOTALS_CTE,
    params: [...collectionTotalsParams(totals), collectionId],
  });
}
