/**
 * The statements of the `capture` and `refund` tables (a payment's movements; one file, as the two tables
 * share their columns). A merchant capture or refund reserves a pending row, then finishes it; each
 * statement runs under the collection's row lock.
 */

export type MovementTable = 'capture' | 'refund';

/**
 * A payment's row with what its movements hold: `captured` (its succeeded captures), `reserved` (the
 * table's pending and succeeded rows) and `previous` (the table's row under the key, as JSON, or null).
 * Parameters: idempotency key (may be null), payment id.
 */
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

/**
 * Inserts a pending merchant row. Parameters: id, payment id, amount, idempotency key, request fingerprint,
 * created_by, then for refunds refund reason id and note.
 */
export function insertPendingMovementSql(table: MovementTable): string {
  const extra = table === 'refund' ? ', refund_reason_id, note' : '';
  const values = table === 'refund' ? ', ?, ?' : '';
  return `insert into ${table} (id, payment_id, amount, status, source, idempotency_key, request_fingerprint, created_by${extra})
values (?, ?, ?, 'pending', 'merchant', ?, ?, ?${values})`;
}

/**
 * Finishes a pending row as succeeded or failed and updates its payment, in one statement; returns the
 * payment's row. A failed row frees its key (a retry reserves a new row and reaches the provider under the
 * same idempotency key). The payment gets the provider's data merged in; a succeeded capture marks the
 * session `captured` and, once the succeeded captures cover the payment, sets `captured_at` (the row
 * finished here is counted from RETURNING: the statement's snapshot predates it). Parameters: status, error,
 * whether it failed, row id, provider data (jsonb), payment id.
 */
export function finishMovementSql(table: MovementTable): string {
  const finished = `finished as (
  update ${table} set status = ?, error = ?, updated_at = now(),
    idempotency_key = case when ?::boolean then idempotency_key || '#failed:' || id else idempotency_key end
  where id = ? returning id, amount, status, payment_id
)`;
  if (table === 'refund') {
    return `with ${finished}
update payment set data = data || ?::jsonb, updated_at = now() where id = ? returning *`;
  }
  return `with ${finished}, session as (
  update payment_session set status = 'captured', updated_at = now()
   where id = (select p.payment_session_id from payment p join finished f on f.payment_id = p.id where f.status = 'succeeded')
)
update payment set data = data || ?::jsonb, updated_at = now(),
  captured_at = case
    when captured_at is null and (select status from finished) = 'succeeded'
     and (select coalesce(sum(c.amount), 0) from capture c
           where c.payment_id = payment.id and c.status = 'succeeded' and c.id <> (select id from finished))
         + (select amount from finished) >= amount
    then now() else captured_at end
where id = ?
returning *`;
}

const MOVEMENT_COLUMNS =
  'id, payment_id, amount, status, idempotency_key, request_fingerprint, source, created_by, error, created_at, updated_at';

/**
 * The captures and refunds of several payments, in one round trip, `kind` telling them apart. The ids come as
 * a JSON array text, so the statement is the same whatever their number. Parameters: the ids' JSON, twice.
 */
export const MOVEMENTS_OF_PAYMENTS_SQL = `select 'capture' as kind, ${MOVEMENT_COLUMNS}, null::varchar as refund_reason_id, null::text as note
  from capture where payment_id = any(array(select jsonb_array_elements_text(?::jsonb)))
union all
select 'refund' as kind, ${MOVEMENT_COLUMNS}, refund_reason_id, note from refund
 where payment_id = any(array(select jsonb_array_elements_text(?::jsonb)))
order by created_at, id`;
