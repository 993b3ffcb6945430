import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { TenderError } from '@tender/core';
import type { SqlExecutor } from '../database/prepared-sql.js';
import { selectEntity } from '../database/select-entities.js';
import { Capture, Payment, Refund } from '../models/index.js';
import { MOVEMENTS_OF_PAYMENTS_SQL } from '../sql/capture-refund.js';
import { PAYMENT_BY_ID_SQL } from '../sql/payment.js';
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

/** A payment's entity, read by id; `not_found` when there is none. */
export async function paymentOrFail(orm: MikroORM, id: string): Promise<Payment> {
  const payment = await selectEntity(orm.em.fork(), Payment, PAYMENT_BY_ID_SQL, [id]);
  if (!payment) throw new TenderError('not_found', `Payment ${id} was not found.`);
  return payment;
}

/** The payment's DTO, its captures and refunds read through `db` (the caller's transaction, when it holds one). */
export async function paymentDTO(orm: MikroORM, db: SqlExecutor, payment: Payment): Promise<PaymentDTO> {
  const [dto] = await loadPayments(db, orm.em.fork(), [payment]);
  return dto!;
}

/** A payment's DTO by id, read outside any transaction. */
export async function retrievePayment(orm: MikroORM, id: string): Promise<PaymentDTO> {
  return paymentDTO(orm, orm.em.fork(), await paymentOrFail(orm, id));
}
