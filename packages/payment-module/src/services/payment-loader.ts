import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Capture, type Payment, Refund } from '../models/index.js';
import { type PaymentDTO, toPaymentDTO } from './dto.js';

const MOVEMENT_COLUMNS =
  'id, payment_id, amount, status, idempotency_key, request_fingerprint, source, created_by, error, created_at, updated_at';

/**
 * The captures and refunds of the payments `?` lists (twice: once per table), in one round trip; `kind`
 * tells the two apart.
 */
export const MOVEMENTS_OF_PAYMENTS_SQL = `select 'capture' as kind, ${MOVEMENT_COLUMNS}, null::varchar as refund_reason_id, null::text as note
  from capture where payment_id in (?)
union all
select 'refund' as kind, ${MOVEMENT_COLUMNS}, refund_reason_id, note from refund where payment_id in (?)
order by created_at, id`;

type MovementRow = EntityDictionary<Capture & Refund> & { kind: 'capture' | 'refund' };

/** Payments with their captures and refunds, in one query whatever the number of payments. */
export async function loadPayments(em: EntityManager, payments: Payment[]): Promise<PaymentDTO[]> {
  if (payments.length === 0) return [];
  const ids = payments.map((p) => p.id);
  const rows = await em.execute<MovementRow[]>(MOVEMENTS_OF_PAYMENTS_SQL, [ids, ids]);
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
