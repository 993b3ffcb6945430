import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { TenderError } from '@tender/core';
import { preparedSqlFor, type SqlExecutor } from '../database/prepared-sql.js';
import { PaymentCollection } from '../models/index.js';
import { LOCK_COLLECTION_OF_PAYMENT_SQL, lockCollectionsSql } from '../sql/payment-collection.js';

/**
 * The module's one lock: a payment collection's row lock (SELECT … FOR UPDATE), held until commit. Every
 * change to a collection's sessions, payments, captures and refunds takes it first, so every read after it
 * sees a state no concurrent change can alter. Nothing done under it may call a provider: the lock would be
 * held across the network. Its statements are `lockCollectionsSql` and `LOCK_COLLECTION_OF_PAYMENT_SQL`
 * (sql/payment-collection.ts); these functions are the only ones that run them.
 */

/** A locked collection's row, for work written in plain SQL. */
export interface LockedCollectionRow {
  id: string;
  tenant: string;
  currency_code: string;
  amount: string;
}

/** Takes the collections' row locks inside `db`'s transaction. */
export async function lockCollectionRows(db: SqlExecutor, ids: string[]): Promise<LockedCollectionRow[]> {
  return db.execute<LockedCollectionRow[]>(lockCollectionsSql(ids.length), ids);
}

/**
 * Runs `work` in an ORM transaction holding the collection's lock, with the collection as an entity: for
 * merchant changes made through entities.
 */
export async function withCollectionLock<T>(
  orm: MikroORM,
  collectionId: string,
  work: (em: EntityManager, collection: PaymentCollection) => Promise<T>,
): Promise<T> {
  return orm.em.fork().transactional(async (em) => {
    const [row] = await lockCollectionRows(em, [collectionId]);
    if (!row) throw new TenderError('not_found', `Payment collection ${collectionId} was not found.`);
    return work(em, em.map(PaymentCollection, row as unknown as EntityDictionary<PaymentCollection>));
  });
}

/** Runs `work` in a transaction of plain SQL statements holding the collection's lock. */
export async function withLockedCollectionRow<T>(
  orm: MikroORM,
  collectionId: string,
  work: (db: SqlExecutor, collection: LockedCollectionRow) => Promise<T>,
): Promise<T> {
  return preparedSqlFor(orm).transaction(async (db) => {
    const [row] = await lockCollectionRows(db, [collectionId]);
    if (!row) throw new TenderError('not_found', `Payment collection ${collectionId} was not found.`);
    return work(db, row);
  });
}

/**
 * `withLockedCollectionRow` on the collection of a payment: for a change to one payment (capture, refund),
 * whose own row is read once the lock is held.
 */
export async function withLockedPayment<T>(
  orm: MikroORM,
  paymentId: string,
  work: (db: SqlExecutor, collection: LockedCollectionRow) => Promise<T>,
): Promise<T> {
  return preparedSqlFor(orm).transaction(async (db) => {
    const [row] = await db.execute<LockedCollectionRow[]>(LOCK_COLLECTION_OF_PAYMENT_SQL, [paymentId]);
    if (!row) throw new TenderError('not_found', `Payment ${paymentId} was not found.`);
    return work(db, row);
  });
}
