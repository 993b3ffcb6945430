/**
 * The statements of a merchant capture or refund (`capturePayment`, `refundPayment`): reserve a pending row,
 * then settle it. Each runs under the collection's row lock; written as plain SQL because a checkout makes
 * them on every payment, where building ORM queries cost more than the database's own work.
 */

export type MovementTable = 'capture' | 'refund';

/** What a payment's rows of `table` already hold, and the row an earlier call left under the same key. */
export interface MovementState {
  amount: string;
  canceled_at: Date | null;
  /** Captures: succeeded ones. Refunds: the payment's succeeded captures (what may be refunded). */
  captured: string;
  /** Pending and succeeded rows of the table: what they reserve. */
  reserved: string;
  previous: { id: string; status: string; amount: string; idempotency_key: string; request_fingerprint: string | null } | null;
}

/** Parameters: key (may be null), payment id. */
export function movementStateSql(table: MovementTable): string {
  return `select p.amount::text as amount, p.canceled_at,
  (select coalesce(sum(c.amount), 0)::text from capture c where c.payment_id = p.id and c.status = 'succeeded') as captured,
  (select coalesce(sum(m.amount), 0)::text from ${table} m
    where m.payment_id = p.id and m.status in ('pending', 'succeeded')) as reserved,
  (select json_build_object('id', m.id, 'status', m.status, 'amount', m.amount::text,
                            'idempotency_key', m.idempotency_key, 'request_fingerprint', m.request_fingerprint)
     from ${table} m where m.payment_id = p.id and m.idempotency_key = ?) as previous
from payment p where p.id = ?`;
}

/** A pending merchant row. Parameters: id, payment id, amount, idempotency key, fingerprint, created_by, then for refunds reason and note. */
export function insertPendingMovementSql(table: MovementTable): string {
  const extra = table === 'refund' ? ', refund_reason_id, note' : '';
  const values = table === 'refund' ? ', ?, ?' : '';
  return `insert into ${table} (id, payment_id, amount, status, source, idempotency_key, request_fingerprint, created_by${extra})
values (?, ?, ?, 'pending', 'merchant', ?, ?, ?${values})`;
}

/**
 * Settles a pending row. A failed one frees its key (a retry reserves a new row and reaches the provider under
 * the same idempotency key, so a capture that did happen there is not made twice). Parameters: status, error,
 * whether it failed, id.
 */
export function settleMovementSql(table: MovementTable): string {
  return `update ${table} set status = ?, error = ?, updated_at = now(),
  idempotency_key = case when ?::boolean then idempotency_key || '#failed:' || id else idempotency_key end
where id = ?`;
}

/**
 * The payment after a settled movement: the provider's data merged in and, once its succeeded captures cover
 * it, `captured_at`; a succeeded capture also marks its session `captured`. Parameters: provider data (jsonb),
 * whether a capture succeeded (twice), payment id. Returns the payment row.
 */
export const SETTLE_PAYMENT_SQL = `with session as (
  update payment_session set status = 'captured', updated_at = now()
   where ?::boolean and id = (select payment_session_id from payment where id = ?)
)
update payment set data = data || ?::jsonb, updated_at = now(),
  captured_at = case
    when captured_at is null and ?::boolean
     and (select coalesce(sum(amount), 0) from capture where payment_id = payment.id and status = 'succeeded') >= amount
    then now() else captured_at end
where id = ?
returning *`;
