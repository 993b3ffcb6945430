import type { SqlExecutor } from '../database/prepared-sql.js';
import type { OutboxChange } from '../outbox/write-outbox-events.js';
import { insertPaymentsCtes, RAISE_PAYMENT_AMOUNT_SQL } from '../sql/payment.js';
import { lockedSessionsWithTotalsSql, sessionsForAuthorizationSql, UPDATE_SESSION_STATUS_SQL } from '../sql/payment-session.js';
import { type CollectionRowsSummary, type CollectionTotals, collectionTotalsParams } from './collection-state.js';
import type { PaymentDTO, PaymentSessionDTO } from './dto.js';

/**
 * The rows of an authorization, read and written by hand-written statements (sql/payment-session.ts,
 * sql/payment.ts): it is the step every payment webhook takes, and loading entities for it cost several
 * times the database's own work.
 */

/** A session as authorization reads it, with the id of its payment when it has one. */
export type SessionForAuthorization = Pick<
  PaymentSessionDTO,
  'id' | 'tenant' | 'payment_collection_id' | 'provider_id' | 'currency_code' | 'amount' | 'status' | 'data'
> & { payment_id: string | null; payment_amount: string | null };

export type LockedSession = SessionForAuthorization & CollectionRowsSummary;

export async function readSessionsForAuthorization(em: SqlExecutor, ids: string[]): Promise<SessionForAuthorization[]> {
  return em.execute<SessionForAuthorization[]>(sessionsForAuthorizationSql(ids.length), ids);
}

export async function readLockedSessions(em: SqlExecutor, ids: string[]): Promise<LockedSession[]> {
  return em.execute<LockedSession[]>(lockedSessionsWithTotalsSql(ids.length), ids);
}

/** The session's status after the provider answered without authorizing, with the data it returned. */
export async function updateSessionStatus(
  em: SqlExecutor,
  id: string,
  status: string,
  data: Record<string, unknown>,
): Promise<void> {
  await em.execute(UPDATE_SESSION_STATUS_SQL, [status, JSON.stringify(data), id], 'run');
}

/**
 * A webhook-decided payment grown to what a later event proves; it is fully captured only if its
 * captures still cover the new amount.
 */
export async function raisePaymentAmount(em: SqlExecutor, paymentId: string, amount: string): Promise<void> {
  await em.execute(RAISE_PAYMENT_AMOUNT_SQL, [amount, amount, paymentId], 'run');
}

/** A payment as authorization writes it; its amounts and DTO follow from it and its captures. */
export type NewPayment = Pick<
  PaymentDTO,
  | 'id'
  | 'tenant'
  | 'payment_collection_id'
  | 'payment_session_id'
  | 'provider_id'
  | 'currency_code'
  | 'amount'
  | 'data'
  | 'captured_at'
  | 'created_at'
>;

export interface NewProviderCapture {
  id: string;
  amount: string;
  idempotency_key: string;
}

/** One payment as `insertPaymentsChange` writes it: the row, its first captures, and what it does to its session and collection. */
export interface PaymentWrite {
  payment: NewPayment;
  captures: NewProviderCapture[];
  sessionStatus: 'authorized' | 'captured';
  totals: CollectionTotals;
}

/** The payments `writes` describe, as a change `writeOutboxEvents` writes in the statement that appends their events. */
export function insertPaymentsChange(writes: PaymentWrite[]): OutboxChange | undefined {
  if (writes.length === 0) return undefined;
  const params: unknown[] = [];
  for (const { payment } of writes) {
    const at = payment.created_at;
    params.push(
      payment.id,
      payment.tenant,
      payment.payment_collection_id,
      payment.payment_session_id,
      payment.provider_id,
      payment.currency_code,
      payment.amount,
      JSON.stringify(payment.data),
      payment.captured_at,
      at,
      at,
    );
  }
  const captures = writes.flatMap(({ payment, captures }) =>
    captures.map((c) => [c.id, payment.id, c.amount, c.idempotency_key, payment.created_at]),
  );
  params.push(...captures.flat());
  for (const { payment, totals } of writes) params.push(payment.payment_collection_id, ...collectionTotalsParams(totals));
  for (const { payment, sessionStatus } of writes) {
    params.push(payment.payment_session_id, sessionStatus, payment.created_at, JSON.stringify(payment.data));
  }
  return { ctes: insertPaymentsCtes(writes.length, captures.length), params };
}
