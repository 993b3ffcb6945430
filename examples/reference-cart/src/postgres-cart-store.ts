import { randomUUID } from 'node:crypto';
import type { CartPort, CartRef } from '@tender/core';
import pg from 'pg';

const SCHEMA = `
create table if not exists cart (
  id text primary key,
  payment_collection_id text unique,
  completed_at timestamptz,
  order_id text,
  created_at timestamptz not null default now()
);
create table if not exists "order" (
  id text primary key,
  cart_id text not null unique references cart (id),
  payment_collection_id text,
  created_at timestamptz not null default now()
);`;

export const CART_BY_COLLECTION_SQL = 'select id, completed_at, order_id from cart where payment_collection_id = $1';

export const COMPLETE_CART_SQL = `
with locked as (
  select id, order_id, payment_collection_id from cart where id = $1 for update
), placed as (
  insert into "order" (id, cart_id, payment_collection_id)
  select $2, id, payment_collection_id from locked where order_id is null
  returning id
), completed as (
  update cart set completed_at = now(), order_id = placed.id from placed where cart.id = $1
  returning cart.id
)
select (select id from locked) as cart_id,
       coalesce((select id from placed), (select order_id from locked)) as order_id,
       exists (select 1 from completed) as created`;

/**
 * A host's cart module reduced to what the payment workflow needs. `completeCart` locks the cart row,
 * so the webhook and a storefront completing the same cart at the same moment produce one order.
 */
export class PostgresCartStore implements CartPort {
  readonly pool: pg.Pool;

  constructor(databaseUrl: string, options: { max?: number; onError?: (error: Error) => void } = {}) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 5 });
    // An idle connection the server drops (restart, failover) is reported here; without a listener node
    // would crash the process. The pool replaces the connection on the next query.
    this.pool.on('error', options.onError ?? (() => {}));
  }

  async migrate(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  async createCart(paymentCollectionId: string, id = `cart_${randomUUID()}`): Promise<CartRef> {
    await this.pool.query('insert into cart (id, payment_collection_id) values ($1, $2)', [id, paymentCollectionId]);
    return { id, completed_at: null, order_id: null };
  }

  async retrieveCart(id: string): Promise<CartRef | null> {
    const { rows } = await this.pool.query('select id, completed_at, order_id from cart where id = $1', [id]);
    return rows[0] ?? null;
  }

  async retrieveCartByPaymentCollection(paymentCollectionId: string): Promise<CartRef | null> {
    const { rows } = await this.pool.query({
      name: 'tender-cart-by-collection',
      text: CART_BY_COLLECTION_SQL,
      values: [paymentCollectionId],
    });
    return rows[0] ?? null;
  }

  async completeCart(cartId: string): Promise<{ order_id: string; created: boolean }> {
    // One statement, so one round trip and no transaction left open by a dropped connection. The cart row
    // is locked first: a concurrent call waits, then sees the order this one wrote and creates none.
    // Named, so each connection parses and plans it once (the webhook path runs it for every order).
    const { rows } = await this.pool.query({
      name: 'tender-complete-cart',
      text: COMPLETE_CART_SQL,
      values: [cartId, `order_${randomUUID()}`],
    });
    const row = rows[0];
    if (!row?.cart_id) throw new Error(`Cart ${cartId} does not exist.`);
    return { order_id: row.order_id, created: row.created };
  }

  async countOrders(cartId?: string): Promise<number> {
    const { rows } = cartId
      ? await this.pool.query('select count(*)::int as n from "order" where cart_id = $1', [cartId])
      : await this.pool.query('select count(*)::int as n from "order"');
    return rows[0].n;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
