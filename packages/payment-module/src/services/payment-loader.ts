import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlExecutor } from '../database/prepared-sql.js';
import { Capture, type Payment, Refund } from '../models/index.js';
import { MOVEMENTS_OF_PAYMENTS_SQL } from '../sql/capture-refund.js';
import { type PaymentDTO, toPaymentDTO } from './dto.js';

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
