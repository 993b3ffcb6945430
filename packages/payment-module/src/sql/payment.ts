import { placeholders } from '../database/placeholders.js';
import { setCollectionTotals, TOTALS_VALUES } from './payment-collection.js';

/** The statements of the `payment` table. */

/** A payment's row. Parameters: id. */
export const PAYMENT_BY_ID_SQL = 'select * from payment where id = ?';

/**
 * Sets a payment's amount, clearing `captured_at` unless its succeeded captures still cover the new amount.
 * Parameters: amount, amount again, payment id.
 */
export const RAISE_PAYMENT_AMOUNT_SQL = `update payment set amount = ?::numeric, updated_at = now(),
            captured_at = case when (select coalesce(sum(c.amount), 0) from capture c
                                      where c.payment_id = payment.id and c.status = 'succeeded') >= ?::numeric
                               then captured_at end
      where id = ?`;

/**
 * Inserts `payments` payments and `captures` provider captures, and stores their sessions' statuses and
 * their collections' totals (one collection each), in one statement; the foreign keys are checked at its end,
 * when the payment rows exist. Parameters: those of `insertPaymentsCtes`.
 */
export function insertPaymentsSql(payments: number, captures: number): string {
  return `with ${insertPaymentsCtes(payments, captures)}\nselect 1`;
}

/**
 * `insertPaymentsSql` as data-modifying CTEs, for a statement that goes on to append the payments' events.
 * Parameters: per payment (id, tenant, collection id, session id, provider id, currency code, amount, data,
 * captured_at, created_at, updated_at); per capture (id, payment id, amount, idempotency key, created_at);
 * per payment (collection id, then `TOTALS_VALUES`); per payment (session id, status, authorized_at, data).
 */
export function insertPaymentsCtes(payments: number, captures: number): string {
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
