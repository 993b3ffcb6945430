import type { EntityManager } from '@mikro-orm/postgresql';
import { Payment, PaymentSession } from '../models/index.js';
import type { PaymentCollectionDTO } from './dto.js';
import { toSessionDTO } from './dto.js';
import type { EntityShape } from './list-options.js';
import { loadPayments } from './payment-loader.js';

/**
 * The relations a collection loads. A payment always comes with its captures and refunds (its
 * `captured_amount` and `refunded_amount` are their sums), so `payments.captures` and `payments.refunds`
 * are accepted and load `payments`.
 */
export type CollectionRelation = 'payment_sessions' | 'payments' | 'payments.captures' | 'payments.refunds';

export const COLLECTION_SHAPE: EntityShape<CollectionRelation> = {
  name: 'payment collection',
  fields: [
    'id',
    'tenant',
    'currency_code',
    'amount',
    'authorized_amount',
    'captured_amount',
    'refunded_amount',
    'status',
    'completed_at',
    'metadata',
    'created_at',
    'updated_at',
  ],
  filters: ['id', 'tenant', 'status', 'currency_code'],
  sortable: ['id', 'created_at', 'updated_at', 'amount', 'status', 'completed_at'],
  relations: ['payment_sessions', 'payments', 'payments.captures', 'payments.refunds'],
};

/** Fills the asked relations of `dtos` in one query per relation, whatever the number of collections. */
export async function loadCollectionRelations(
  em: EntityManager,
  dtos: PaymentCollectionDTO[],
  relations: Set<CollectionRelation>,
): Promise<void> {
  if (dtos.length === 0) return;
  const ids = dtos.map((c) => c.id);
  if (relations.has('payment_sessions')) {
    const sessions = await em.find(
      PaymentSession,
      { payment_collection: { $in: ids }, deleted_at: null },
      { orderBy: [{ created_at: 'asc' }, { id: 'asc' }] },
    );
    for (const dto of dtos) dto.payment_sessions = sessions.filter((s) => s.payment_collection === dto.id).map(toSessionDTO);
  }
  if ([...relations].some((r) => r.startsWith('payments'))) {
    const payments = await loadPayments(
      em,
      em,
      await em.find(Payment, { payment_collection: { $in: ids } }, { orderBy: [{ created_at: 'asc' }, { id: 'asc' }] }),
    );
    for (const dto of dtos) dto.payments = payments.filter((p) => p.payment_collection_id === dto.id);
  }
}
