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
    const { rows } = await this.pool.query('select id, completed_at, order_id from cart where payment_collection_id = $1', [
      paymentCollectionId,
    ]);
    return rows[0] ?? null;
  }

  async completeCart(cartId: string): Promise<{ order_id: string; created: boolean }> {
    const client = await this.pool.connect();
    // A connection cut between two statements of this transaction is reported as an event on the client;
    // the next statement fails anyway, so swallow the event rather than crash the process.
    const ignore = () => {};
    client.on('error', ignore);
    try {
      await client.query('begin');
      const { rows } = await client.query('select id, order_id, payment_collection_id from cart where id = $1 for update', [
        cartId,
      ]);
      const cart = rows[0];
      if (!cart) throw new Error(`Cart ${cartId} does not exist.`);
      if (cart.order_id) {
        await client.query('commit');
        return { order_id: cart.order_id, created: false };
      }
      const orderId = `order_${randomUUID()}`;
      await client.query('insert into "order" (id, cart_id, payment_collection_id) values ($1, $2, $3)', [
        orderId,
        cartId,
        cart.payment_collection_id,
      ]);
      await client.query('update cart set completed_at = now(), order_id = $2 where id = $1', [cartId, orderId]);
      await client.query('commit');
      return { order_id: orderId, created: true };
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.off('error', ignore);
      client.release();
    }
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
