import { placeholders } from '../database/placeholders.js';
import { totalsSql } from './payment-collection.js';

/** The statements of the `payment_session` table. */

/** A live session's row. Parameters: id. */
export const SESSION_BY_ID_SQL = 'select * from payment_session where id = ? and deleted_at is null';

/** The rows of `n` live sessions. Parameters: the `n` ids. */
export function sessionsByIdSql(n: number): string {
  return `select * from payment_session where id in (${placeholders(n)}) and deleted_at is null`;
}

/**
 * Inserts a session and returns its row with the summary of its collection's rows (read by the same
 * statement, so without the new session). Parameters: id, tenant, collection id, provider id, currency
 * code, amount, status, data, context, metadata (the last three jsonb).
 */
export const INSERT_SESSION_SQL = `with inserted as (
  insert into payment_session
    (id, tenant, payment_collection_id, provider_id, currency_code, amount, status, data, context, metadata)
  values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb) returning *
)
select i.*, t.* from inserted i cross join lateral (${totalsSql('i.payment_collection_id')}) as t`;

const SESSION_COLUMNS = `s.id, s.tenant, s.payment_collection_id, s.provider_id, s.currency_code, s.amount, s.status,
       s.data, p.id as payment_id, p.amount::text as payment_amount`;

/** `n` live sessions as authorization reads them, each with its payment's id and amount (or nulls). Parameters: the `n` ids. */
export function sessionsForAuthorizationSql(n: number): string {
  return `
select ${SESSION_COLUMNS}
  from payment_session s left join payment p on p.payment_session_id = s.id
 where s.id in (${placeholders(n)}) and s.deleted_at is null`;
}

/**
 * `sessionsForAuthorizationSql`, read under the collections' locks, each with the summary of its
 * collection's rows (what a new payment's totals are added onto). Parameters: the `n` ids.
 */
export function lockedSessionsWithTotalsSql(n: number): string {
  return `
select ${SESSION_COLUMNS}, t.*
  from payment_session s left join payment p on p.payment_session_id = s.id
 cross join lateral (${totalsSql('s.payment_collection_id')}) as t
 where s.id in (${placeholders(n)}) and s.deleted_at is null`;
}

/** Sets a session's status and provider data. Parameters: status, data (jsonb), id. */
export const UPDATE_SESSION_STATUS_SQL =
  'update payment_session set status = ?, data = ?::jsonb, updated_at = now() where id = ?';
