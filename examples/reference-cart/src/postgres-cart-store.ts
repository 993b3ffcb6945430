import { randomUUID } from 'node:crypto';
import type { CartCompletion, CartPort, CartRef } from '@tender/core';
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
 * COMPLETE_CART_SQL for the carts of many payment collections ($1) with the order id each would get ($2):
 * the carts are locked in id order, so two of these (or one and a storefront) wait for each other and never
 * deadlock. One row per cart found.
 */
export const COMPLETE_CARTS_OF_COLLECTIONS_SQL = `
with wanted as (
  select * from unnest($1::text[], $2::text[]) as w(payment_collection_id, order_id)
), locked as (
  select c.id, c.order_id, c.payment_collection_id, w.order_id as new_order_id
    from cart c join wanted w on w.payment_collection_id = c.payment_collection_id
   order by c.id
     for update of c
), placed as (
  insert into "order" (id, cart_id, payment_collection_id)
  select new_order_id, id, payment_collection_id from locked where order_id is null
  returning id, cart_id
), completed as (
  update cart set completed_at = now(), order_id = placed.id from placed where cart.id = placed.cart_id
)
select l.payment_collection_id, l.id as cart_id, coalesce(p.id, l.order_id) as order_id, p.id is not null as created
  from locked l left join placed p on p.cart_id = l.id`;

export interface CartStoreOptions {
  max?: number;
  onError?: (error: Error) => void;
}

/**
 * A host's cart module reduced to what the payment workflow needs. `completeCart` locks the cart row,
 * so the webhook and a storefront completing the same cart at the same moment produce one order.
 *
 * Give it a database URL, or none and call `open(url)` once the URL is known (the payment module's
 * embedded database has one only after `createPaymentModule`): calls made before wait for it.
 */
export class PostgresCartStore implements CartPort {
  #pool: pg.Pool | undefined;
  #opened: Promise<pg.Pool>;
  #open: (pool: pg.Pool) => void = () => {};
  readonly #options: CartStoreOptions;

  constructor(databaseUrl?: string, options: CartStoreOptions = {}) {
    this.#options = options;
    this.#opened = new Promise((resolve) => {
      this.#open = resolve;
    });
    if (databaseUrl) this.#open(this.#connect(databaseUrl));
  }

  /** The connection pool; only once a URL was given. */
  get pool(): pg.Pool {
    if (!this.#pool) throw new Error('PostgresCartStore has no database yet: pass its URL to the constructor or to open().');
    return this.#pool;
  }

  /** Connects to `databaseUrl` and creates the cart tables; calls waiting for a database then run. */
  async open(databaseUrl: string): Promise<void> {
    if (this.#pool) throw new Error('PostgresCartStore is already connected.');
    const pool = this.#connect(databaseUrl);
    await pool.query(SCHEMA);
    this.#open(pool);
  }

  #connect(databaseUrl: string): pg.Pool {
    this.#pool = new pg.Pool({ connectionString: databaseUrl, max: this.#options.max ?? 5 });
    // An idle connection the server drops (restart, failover) is reported here; without a listener node
    // would crash the process. The pool replaces the connection on the next query.
    this.#pool.on('error', this.#options.onError ?? (() => {}));
    return this.#pool;
  }

  async migrate(): Promise<void> {
    await (await this.#opened).query(SCHEMA);
  }

  async createCart(paymentCollectionId: string, id = `cart_${randomUUID()}`): Promise<CartRef> {
    await (await this.#opened).query('insert into cart (id, payment_collection_id) values ($1, $2)', [id, paymentCollectionId]);
    return { id, completed_at: null, order_id: null };
  }

  async retrieveCart(id: string): Promise<CartRef | null> {
    const { rows } = await (await this.#opened).query('select id, completed_at, order_id from cart where id = $1', [id]);
    return rows[0] ?? null;
  }

  async retrieveCartByPaymentCollection(paymentCollectionId: string): Promise<CartRef | null> {
    const { rows } = await (await this.#opened).query({
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
    const { rows } = await (await this.#opened).query({
      name: 'tender-complete-cart',
      text: COMPLETE_CART_SQL,
      values: [cartId, `order_${randomUUID()}`],
    });
    const row = rows[0];
    if (!row?.cart_id) throw new Error(`Cart ${cartId} does not exist.`);
    return { order_id: row.order_id, created: row.created };
  }

  async completeCartsOfPaymentCollections(paymentCollectionIds: string[]): Promise<(CartCompletion | null)[]> {
    const unique = [...new Set(paymentCollectionIds)];
    const { rows } = await (await this.#opened).query<CartCompletion & { payment_collection_id: string }>({
      name: 'tender-complete-carts-of-collections',
      text: COMPLETE_CARTS_OF_COLLECTIONS_SQL,
      values: [unique, unique.map(() => `order_${randomUUID()}`)],
    });
    const byCollection = new Map(rows.map(({ payment_collection_id, ...completion }) => [payment_collection_id, completion]));
    // A collection asked twice is answered as two calls in a row would be: the second finds the order made.
    const answered = new Set<string>();
    return paymentCollectionIds.map((id) => {
      const completion = byCollection.get(id);
      if (!completion) return null;
      if (answered.has(id)) return { ...completion, created: false };
      answered.add(id);
      return completion;
    });
  }

  async countOrders(cartId?: string): Promise<number> {
    const { rows } = cartId
      ? await (await this.#opened).query('select count(*)::int as n from "order" where cart_id = $1', [cartId])
      : await (await this.#opened).query('select count(*)::int as n from "order"');
    return rows[0].n;
  }

  async close(): Promise<void> {
    await this.#pool?.end();
  }
}
