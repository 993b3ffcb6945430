import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { TenderError } from '@tender/core';
import { placeholders } from '../database/placeholders.js';
import { selectEntity } from '../database/select-entities.js';
import { PaymentCollection } from '../models/index.js';

const LOCK_COLLECTION_SQL = 'select * from payment_collection where id = ? for update';

/**
 * Runs `work` in a transaction that first takes the collection's row lock (SELECT … FOR UPDATE), so
 * every read inside it sees the state no concurrent change can alter until commit. Nothing inside
 * may call a provider: the lock would be held across the network.
 */
export async function withCollectionLock<T>(
  orm: MikroORM,
  collectionId: string,
  work: (em: EntityManager, collection: PaymentCollection) => Promise<T>,
): Promise<T> {
  return orm.em.fork().transactional(async (em) => {
    const collection = await selectEntity(em, PaymentCollection, LOCK_COLLECTION_SQL, [collectionId]);
    if (!collection || collection.deleted_at) {
      throw new TenderError('not_found', `Payment collection ${collectionId} was not found.`);
    }
    return work(em, collection);
  });
}

const LOCK_COLLECTION_OF_PAYMENT_SQL = `select c.* from payment_collection c
 where c.id = (select payment_collection_id from payment where id = ?) for update of c`;

/**
 * `withCollectionLock` on the collection of a payment, found and locked in one statement: for a change to one
 * payment (capture, refund), whose own row is read after the lock is held.
 */
export async function withPaymentLock<T>(
  orm: MikroORM,
  paymentId: string,
  work: (em: EntityManager, collection: PaymentCollection) => Promise<T>,
): Promise<T> {
  return orm.em.fork().transactional(async (em) => {
    const collection = await selectEntity(em, PaymentCollection, LOCK_COLLECTION_OF_PAYMENT_SQL, [paymentId]);
    if (!collection || collection.deleted_at) throw new TenderError('not_found', `Payment ${paymentId} was not found.`);
    return work(em, collection);
  });
}

/**
 * Row locks on `n` collections, taken in id order: two transactions locking overlapping sets wait for
 * each other instead of deadlocking.
 */
export function lockCollectionsSql(n: number): string {
  return `select id, tenant, amount from payment_collection where id in (${placeholders(n)}) and deleted_at is null
 order by id for update`;
}

/** The locked collection's own columns, for work written in plain SQL. */
export interface LockedCollectionRow {
  id: string;
  tenant: string;
  amount: string;
}

/**
 * Takes the collections' row locks inside `em`'s transaction without loading entities: the webhook
 * path's cheaper form of what `withCollectionLock` does. Collections that do not exist are left out.
 */
export async function lockCollectionRows(em: EntityManager, ids: string[]): Promise<LockedCollectionRow[]> {
  return em.execute<LockedCollectionRow[]>(lockCollectionsSql(ids.length), ids);
}
