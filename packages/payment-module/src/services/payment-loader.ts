import type { EntityManager } from '@mikro-orm/postgresql';
import { selectEntities } from '../database/select-entities.js';
import { Capture, type Payment, Refund } from '../models/index.js';
import { type PaymentDTO, toPaymentDTO } from './dto.js';

export const CAPTURES_OF_PAYMENTS_SQL = 'select * from capture where payment_id in (?) order by created_at, id';
export const REFUNDS_OF_PAYMENTS_SQL = 'select * from refund where payment_id in (?) order by created_at, id';

/** Payments with their captures and refunds, in two queries whatever the number of payments. */
export async function loadPayments(em: EntityManager, payments: Payment[]): Promise<PaymentDTO[]> {
  if (payments.length === 0) return [];
  const ids = payments.map((p) => p.id);
  const [captures, refunds] = await Promise.all([
    selectEntities(em, Capture, CAPTURES_OF_PAYMENTS_SQL, [ids]),
    selectEntities(em, Refund, REFUNDS_OF_PAYMENTS_SQL, [ids]),
  ]);
  return payments.map((p) =>
    toPaymentDTO(
      p,
      captures.filter((c) => c.payment === p.id),
      refunds.filter((r) => r.payment === p.id),
    ),
  );
}
