import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type CollectionRowsSummary,
  type CollectionTotals,
  collectionTotalsParams,
  SET_COLLECTION_TOTALS,
  TOTALS_SQL,
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
> & { payment_id: string | null };

const SESSION_COLUMNS = `s.id, s.tenant, s.payment_collection_id, s.provider_id, s.currency_code, s.amount, s.status,
       s.data, p.id as payment_id`;

export const SESSION_FOR_AUTHORIZATION_SQL = `
select ${SESSION_COLUMNS}
  from payment_session s left join payment p on p.payment_session_id = s.id
 where s.id = ? and s.deleted_at is null`;

/** The same, read under the collection's lock, with the summary of the collection's rows (TOTALS_SQL). */
export const LOCKED_SESSION_WITH_TOTALS_SQL = `
select ${SESSION_COLUMNS}, t.*
  from payment_session s left join payment p on p.payment_session_id = s.id
 cross join (${TOTALS_SQL}) as t
 where s.id = ? and s.deleted_at is null`;

export async function readSessionForAuthorization(em: EntityManager, id: string): Promise<SessionForAuthorization | undefined> {
  const [row] = await em.execute<SessionForAuthorization[]>(SESSION_FOR_AUTHORIZATION_SQL, [id]);
  return row;
}

export async function readLockedSession(
  em: EntityManager,
  id: string,
  collectionId: string,
): Promise<(SessionForAuthorization & CollectionRowsSummary) | undefined> {
  const [row] = await em.execute<(SessionForAuthorization & CollectionRowsSummary)[]>(LOCKED_SESSION_WITH_TOTALS_SQL, [
    ...Array(5).fill(collectionId),
    id,
  ]);
  return row;
}

/** The session's status after the provider answered without authorizing, with the data it returned. */
export async function updateSessionStatus(
  em: EntityManager,
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

export const INSERT_PAYMENT_SQL = `
with new_payment as (
  insert into payment (id, tenant, payment_collection_id, payment_session_id, provider_id, currency_code, amount, data,
                       captured_at, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
  returning id
), new_captures as (
  insert into capture (id, payment_id, amount, status, source, idempotency_key, created_at, updated_at)
  select c.id, new_payment.id, c.amount, 'succeeded', 'provider', c.idempotency_key, ?, ?
    from new_payment, jsonb_to_recordset(?::jsonb) as c(id text, amount numeric, idempotency_key text)
), collection_totals as (
  update payment_collection ${SET_COLLECTION_TOTALS} where id = ?
)
update payment_session set status = ?, authorized_at = ?, data = ?::jsonb, updated_at = ? where id = ?`;

/**
 * Writes the session's payment, the provider captures it starts with, the session's new status and the
 * collection's new totals, in one statement (the foreign keys are checked at its end, when the payment
 * row exists).
 */
export async function insertPayment(
  em: EntityManager,
  payment: NewPayment,
  captures: NewProviderCapture[],
  sessionStatus: 'authorized' | 'captured',
  totals: CollectionTotals,
): Promise<void> {
  const now = payment.created_at;
  const data = JSON.stringify(payment.data);
  await em.execute(
    INSERT_PAYMENT_SQL,
    [
      payment.id,
      payment.tenant,
      payment.payment_collection_id,
      payment.payment_session_id,
      payment.provider_id,
      payment.currency_code,
      payment.amount,
      data,
      payment.captured_at,
      now,
      now,
      now,
      now,
      JSON.stringify(captures),
      ...collectionTotalsParams(totals),
      payment.payment_collection_id,
      sessionStatus,
      now,
      data,
      now,
      payment.payment_session_id,
    ],
    'run',
  );
}
