import { placeholders } from '../database/placeholders.js';

/**
 * The statements of the `payment_collection` table. A collection's row lock is the module's one lock:
 * `lockCollectionsSql` and `LOCK_COLLECTION_OF_PAYMENT_SQL` are the only statements that take it.
 */

/** Locks `n` live collections (FOR UPDATE), in id order so overlapping sets wait instead of deadlocking. Parameters: the `n` ids. */
export function lockCollectionsSql(n: number): string {
  return `select * from payment_collection where id in (${placeholders(n)}) and deleted_at is null
 order by id for update`;
}

/** Locks the live collection of a payment, found and locked in one statement. Parameters: payment id. */
export const LOCK_COLLECTION_OF_PAYMENT_SQL = `select c.* from payment_collection c
 where c.id = (select payment_collection_id from payment where id = ?) and c.deleted_at is null for update of c`;

/** A live collection's row. Parameters: id. */
export const COLLECTION_BY_ID_SQL = 'select * from payment_collection where id = ? and deleted_at is null';

/** Inserts a collection and returns its row. Parameters: id, tenant, currency code, amount, metadata (jsonb or null). */
export const INSERT_COLLECTION_SQL = `insert into payment_collection (id, tenant, currency_code, amount, metadata)
values (?, ?, ?, ?, ?::jsonb) returning *`;

/**
 * The summary of a collection's rows (its sessions' statuses, the sums of its payments, captures and refunds)
 * for the collection `ref` names: `?` for a parameter (then five parameters, each the collection id), or a
 * column of an outer query (one summary per row of it).
 */
export function totalsSql(ref: string): string {
  return `
select
  (select coalesce(json_agg(status), '[]'::json) from payment_session where payment_collection_id = ${ref} and deleted_at is null) as session_statuses,
  (select coalesce(sum(amount), 0)::text from payment where payment_collection_id = ${ref} and canceled_at is null) as authorized_amount,
  (select count(*) > 0 from payment where payment_collection_id = ${ref} and canceled_at is not null) as has_canceled_payment,
  (select coalesce(sum(c.amount), 0)::text from capture c join payment p on p.id = c.payment_id
    where p.payment_collection_id = ${ref} and c.status = 'succeeded') as captured_amount,
  (select coalesce(sum(r.amount), 0)::text from refund r join payment p on p.id = r.payment_id
    where p.payment_collection_id = ${ref} and r.status = 'succeeded') as refunded_amount`;
}

/** The summary of one collection's rows. Parameters: the collection id, five times. */
export const TOTALS_SQL = totalsSql('?');

/** The values a SET clause of `setCollectionTotals` stores, in order. */
export const TOTALS_VALUES = ['authorized_amount', 'captured_amount', 'refunded_amount', 'status', 'completes'] as const;

/**
 * The SET clause that stores a collection's totals (and its `completed_at`, once): `value` names where each
 * of `TOTALS_VALUES` comes from (`?`, or a column of a VALUES list).
 */
export function setCollectionTotals(value: (name: (typeof TOTALS_VALUES)[number]) => string): string {
  return `set authorized_amount = ${value('authorized_amount')}, captured_amount = ${value('captured_amount')},
         refunded_amount = ${value('refunded_amount')}, status = ${value('status')}, updated_at = now(),
         completed_at = case when completed_at is null and ${value('completes')} then now() else completed_at end`;
}

/** The SET clause of one collection's totals. Parameters: authorized, captured, refunded, status, completes (boolean). */
export const SET_COLLECTION_TOTALS = setCollectionTotals(() => '?');

/** A CTE (for a statement that appends events) storing one collection's totals. Parameters: those of SET_COLLECTION_TOTALS, then the id. */
export const STORE_COLLECTION_TOTALS_CTE = `collection_totals as (update payment_collection ${SET_COLLECTION_TOTALS} where id = ?)`;
