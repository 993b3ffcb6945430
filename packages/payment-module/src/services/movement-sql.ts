/**
 * The statements of a merchant capture or refund (`capturePayment`, `refundPayment`): reserve a pending row,
 * then settle it. Each runs under the collection's row lock; written as plain SQL because a checkout makes
 * them on every payment, where building ORM queries cost more than the database's own work.
 */

export type MovementTable = 'capture' | 'refund';

/** A payment's row as `movementStateSql` reads it: the payment's columns, what its rows hold, and an earlier call's row. */
export interface MovementState {
  /** Captures: succeeded ones. Refunds: the payment's succeeded captures (what may be refunded). */
  captured: string;
  /** Pending and succeeded rows of the table: what they reserve. */
  reserved: string;
  /** The row an earlier call left under the same idempotency key. */
  previous: { id: string; status: string; amount: string; idempotency_key: string; request_fingerprint: string | null } | null;
}

/** Parameters: key (may be null), payment id. */
export function movementStateSql(table: MovementTable): string {
  return `select p.*,
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
 * Settles a pending row and updates its payment, in one statement. A failed row frees its key (a retry
 * reserves a new row and reaches the provider under the same idempotency key, so a capture that did happen
 * there is not made twice). The payment gets the provider's data merged in; a succeeded capture marks the
 * session `captured` and, once the succeeded captures cover the payment, sets `captured_at` (the row settled
 * here is counted from RETURNING: the statement's snapshot predates it). Parameters: status, error, whether
 * it failed, row id, provider data (jsonb), payment id. Returns the payment row.
 */
export function settleMovementSql(table: MovementTable): string {
  const settled = `settled as (
  update ${table} set status = ?, error = ?, updated_at = now(),
    idempotency_key = case when ?::boolean then idempotency_key || '#failed:' || id else idempotency_key end
  where id = ? returning id, amount, status, payment_id
)`;
  if (table === 'refund') {
    return `with ${settled}
update payment set data = data || ?::jsonb, updated_at = now() where id = ? returning *`;
  }
  return `with ${settled}, session as (
  update payment_session set status = 'captured', updated_at = now()
   where id = (select p.payment_session_id from payment p join settled s on s.payment_id = p.id where s.status = 'succeeded')
)
update payment set data = data || ?::jsonb, updated_at = now(),
  captured_at = case
    when captured_at is null and (select status from settled) = 'succeeded'
     and (select coalesce(sum(c.amount), 0) from capture c
           where c.payment_id = payment.id and c.status = 'succeeded' and c.id <> (select id from settled))
         + (select amount from settled) >= amount
    then now() else captured_at end
where id = ?
returning *`;
}
