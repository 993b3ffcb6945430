import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlExecutor } from '../database/prepared-sql.js';
import { Capture, type Payment, Refund } from '../models/index.js';
import { type PaymentDTO, toPaymentDTO } from './dto.js';

const MOVEMENT_COLUMNS =
  'id, payment_id, amount, status, idempotency_key, request_fingerprint, source, created_by, error, created_at, updated_at';

/**
 * The captures and refunds of the payments whose ids `?` holds as a JSON array (twice: once per table), in one
 * round trip; `kind` tells the two apart. A JSON text rather than a list, so the statement is the same
 * whichever executor sends it and however many payments there are.
 */
export const MOVEMENTS_OF_PAYMENTS_SQL = `select 'capture' as kind, ${MOVEMENT_COLUMNS}, null::varchar as refund_reason_id, null::text as note
  from capture where payment_id = any(array(select jsonb_array_elements_text(?::jsonb)))
union all
select 'refund' as kind, ${MOVEMENT_COLUMNS}, refund_reason_id, note from refund
 where payment_id = any(array(select jsonb_array_elements_text(?::jsonb)))
order by created_at, id`;

type MovementRow = EntityDictionary<Capture & Refund> & { kind: 'capture' | 'refund' };

/**
 * Payments with their captures and refunds, in one query whatever the number of payments: read through `db`
 * (the caller's transaction, when it holds one), mapped to entities by `em`.
 */
export async function loadPayments(db: SqlExecutor, em: EntityManager, payments: Payment[]): Promise<PaymentDTO[]> {
  if (payments.length === 0) return [];
  const ids = JSON.stringify(payments.map((p) => p.id));
  const rows = await db.execute<MovementRow[]>(MOVEMENTS_OF_PAYMENTS_SQL, [ids, ids]);
  const captures: Capture[] = [];
  const refunds: Refund[] = [];
  for (const { kind, refund_reason_id, note, ...row } of rows) {
    if (kind === 'capture') captures.push(em.map(Capture, row));
    else refunds.push(em.map(Refund, { ...row, refund_reason_id, note }));
  }
  return payments.map((p) =>
    toPaymentDTO(
      p,
      captures.filter((c) => c.payment === p.id),
      refunds.filter((r) => r.payment === p.id),
    ),
  );
}
