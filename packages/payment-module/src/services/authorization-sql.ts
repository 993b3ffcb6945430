import { placeholders } from '../database/placeholders.js';
import type { SqlExecutor } from '../database/prepared-sql.js';
import type { OutboxChange } from '../outbox/write-outbox-events.js';
import {
  type CollectionRowsSummary,
  type CollectionTotals,
  collectionTotalsParams,
  setCollectionTotals,
  TOTALS_VALUES,
  totalsSql,
} from './collection-state.js';
import type { PaymentDTO, PaymentSessionDTO } from './dto.js';

/**
 * The statements of an authorization, in plain SQL: it is the step every payment webhook takes, and
 * loading entities for it cost several times the database's own work.
 */

/** A session as authorization reads it, with the id of its payment when it has one. */
export type SessionForAuthorization = Pick<
  PaymentSessionDTO,
  'id' | 'tenant' | 'payment_collection_id' | 'provider_id' | 'currency_code' | 'amount' | 'status' | 'data'
> & { payment_id: string | null; payment_amount: string | null };

const SESSION_COLUMNS = `s.id, s.tenant, s.payment_collection_id, s.provider_id, s.currency_code, s.amount, s.status,
       s.data, p.id as payment_id, p.amount::text as payment_amount`;

/** Sessions as authorization reads them before calling the provider, for `n` ids. */
export function sessionsForAuthorizationSql(n: number): string {
  return `
select ${SESSION_COLUMNS}
  from payment_session s left join payment p on p.payment_session_id = s.id
 where s.id in (${placeholders(n)}) and s.deleted_at is null`;
}

/**
 * The same, read under the collections' locks, each with the summary of its collection's rows: what the
 * new payment's totals are added onto.
 */
export function lockedSessionsWithTotalsSql(n: number): string {
  return `
select ${SESSION_COLUMNS}, t.*
  from payment_session s left join payment p on p.payment_session_id = s.id
 cross join lateral (${totalsSql('s.payment_collection_id')}) as t
 where s.id in (${placeholders(n)}) and s.deleted_at is null`;
}

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
  await em.execute(
    'update payment_session set status = ?, data = ?::jsonb, updated_at = now() where id = ?',
    [status, JSON.stringify(data), id],
    'run',
  );
}

/**
 * A webhook-decided payment grown to what a later event proves; it is fully captured only if its
 * captures still cover the new amount.
 */
export async function raisePaymentAmount(em: SqlExecutor, paymentId: string, amount: string): Promise<void> {
  await em.execute(
    `update payment set amount = ?::numeric, updated_at = now(),
            captured_at = case when (select coalesce(sum(c.amount), 0) from capture c
                                      where c.payment_id = payment.id and c.status = 'succeeded') >= ?::numeric
                               then captured_at end
      where id = ?`,
    [amount, amount, paymentId],
    'run',
  );
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

/** One payment as `insertPayments` writes it: the row, its first captures, and what it does to its session and collection. */
export interface PaymentWrite {
  payment: NewPayment;
  captures: NewProviderCapture[];
  sessionStatus: 'authorized' | 'captured';
  totals: CollectionTotals;
}

/**
 * Writes payments, the provider captures they start with, their sessions' new statuses and their
 * collections' new totals (one collection each), in one statement. The foreign keys are checked at its
 * end, when the payment rows exist.
 */
export function insertPaymentsSql(payments: number, captures: number): string {
  return `with ${insertPaymentsCtes(payments, captures)}\nselect 1`;
}

/** `insertPaymentsSql` as data-modifying CTEs, for a statement that goes on to append the payments' events. */
function insertPaymentsCtes(payments: number, captures: number): string {
  const newCaptures = captures
    ? `, new_captures as (
  insert into capture (id, payment_id, amount, status, source, idempotency_key, created_at, updated_at)
  select c.id, c.payment_id, c.amount, 'succeeded', 'provider', c.idempotency_key, c.created_at, c.created_at
    from (values ${placeholders(captures, '(?, ?, ?::numeric, ?, ?::timestamptz)')}) as c(id, payment_id, amount, idempotency_key, created_at)
)`
    : '';
  return `new_payments as (
  insert into payment (id, tenant, payment_collection_id, payment_session_id, provider_id, currency_code, amount, data,
                       captured_at, created_at, updated_at)
  values ${placeholders(payments, '(?, ?, ?, ?, ?, ?, ?::numeric, ?::jsonb, ?::timestamptz, ?::timestamptz, ?::timestamptz)')}
)${newCaptures}, collection_totals as (
  update payment_collection ${setCollectionTotals((name) => `v.${name}`)}
    from (values ${placeholders(payments, '(?, ?::numeric, ?::numeric, ?::numeric, ?, ?::boolean)')})
         as v(id, ${TOTALS_VALUES.join(', ')})
   where payment_collection.id = v.id
), session_statuses as (
  update payment_session set status = v.status, authorized_at = v.at, data = v.data, updated_at = v.at
    from (values ${placeholders(payments, '(?, ?, ?::timestamptz, ?::jsonb)')}) as v(id, status, at, data)
   where payment_session.id = v.id
)`;
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
