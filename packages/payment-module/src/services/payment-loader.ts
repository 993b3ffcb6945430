import type { EntityManager } from '@mikro-orm/postgresql';
import { Capture, type Payment, Refund } from '../models/index.js';
import { type PaymentDTO, toPaymentDTO } from './dto.js';

/** Payments with their captures and refunds, in two queries whatever the number of payments. */
export async function loadPayments(em: EntityManager, payments: Payment[]): Promise<PaymentDTO[]> {
  if (payments.length === 0) return [];
  const ids = payments.map((p) => p.id);
  const [captures, refunds] = await Promise.all([
    em.find(Capture, { payment: { $in: ids } }, { orderBy: { created_at: 'asc', id: 'asc' } }),
    em.find(Refund, { payment: { $in: ids } }, { orderBy: { created_at: 'asc', id: 'asc' } }),
  ]);
  return payments.map((p) =>
    toPaymentDTO(
      p,
      captures.filter((c) => c.payment === p.id),
      refunds.filter((r) => r.payment === p.id),
    ),
  );
}
