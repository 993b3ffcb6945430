import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { PostgresCartStore } from '@tender/reference-cart';

describe('PostgresCartStore.completeCart', () => {
  let database: TestDatabase;
  let carts: PostgresCartStore;

  beforeAll(async () => {
    database = await createTestDatabase('tender_cart');
    carts = new PostgresCartStore(database.url, { max: 20 });
    await carts.migrate();
  });

  afterAll(async () => {
    await carts.close();
    await database.drop();
  });

  it('completes a cart once: one order, and the cart points at it', async () => {
    const cart = await carts.createCart('paycol_once');
    const first = await carts.completeCart(cart.id);
    const again = await carts.completeCart(cart.id);
    expect(first.created).toBe(true);
    expect(again).toEqual({ order_id: first.order_id, created: false });
    const stored = await carts.retrieveCartByPaymentCollection('paycol_once');
    expect(stored?.order_id).toBe(first.order_id);
    expect(stored?.completed_at).toBeInstanceOf(Date);
    expect(await carts.countOrders(cart.id)).toBe(1);
  });

  it('20 concurrent completions (webhook and storefront racing) make exactly one order', async () => {
    const cart = await carts.createCart('paycol_race');
    const results = await Promise.all(Array.from({ length: 20 }, () => carts.completeCart(cart.id)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order_id)).size).toBe(1);
    expect(await carts.countOrders(cart.id)).toBe(1);
  });

  it('an unknown cart is an error and writes nothing', async () => {
    const before = await carts.countOrders();
    await expect(carts.completeCart('cart_missing')).rejects.toThrow('Cart cart_missing does not exist.');
    expect(await carts.countOrders()).toBe(before);
  });
});

describe('PostgresCartStore.completeCartsOfPaymentCollections', () => {
  let database: TestDatabase;
  let carts: PostgresCartStore;

  beforeAll(async () => {
    database = await createTestDatabase('tender_carts');
    carts = new PostgresCartStore(database.url, { max: 20 });
    await carts.migrate();
  });

  afterAll(async () => {
    await carts.close();
    await database.drop();
  });

  it('completes the carts of several collections in one call, each as retrieve + completeCart would', async () => {
    const open = await carts.createCart('paycol_many_1');
    const done = await carts.createCart('paycol_many_2');
    const earlier = await carts.completeCart(done.id);
    const answers = await carts.completeCartsOfPaymentCollections([
      'paycol_many_1',
      'paycol_many_none',
      'paycol_many_2',
      'paycol_many_1',
    ]);
    expect(answers[0]).toEqual({ cart_id: open.id, order_id: expect.any(String), created: true });
    expect(answers[1]).toBeNull();
    expect(answers[2]).toEqual({ cart_id: done.id, order_id: earlier.order_id, created: false });
    // Asked twice: the second answer is what a second call would find.
    expect(answers[3]).toEqual({ ...answers[0], created: false });
    expect(await carts.countOrders(open.id)).toBe(1);
    expect(await carts.countOrders(done.id)).toBe(1);
    expect((await carts.retrieveCartByPaymentCollection('paycol_many_1'))?.order_id).toBe(answers[0]!.order_id);
  });

  it('batches over overlapping carts, racing single completions, make one order per cart and no deadlock', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `paycol_overlap_${i}`);
    for (const id of ids) await carts.createCart(id, `cart_${id}`);
    const shuffled = (offset: number) => ids.map((_, i) => ids[(i * 5 + offset) % ids.length]!);
    const batches = Array.from({ length: 6 }, (_, n) => carts.completeCartsOfPaymentCollections(shuffled(n)));
    const singles = ids.map((id) => carts.completeCart(`cart_${id}`));
    const [batchAnswers, singleAnswers] = await Promise.all([Promise.all(batches), Promise.all(singles)]);
    for (const id of ids) {
      const created =
        batchAnswers.flat().filter((a) => a?.cart_id === `cart_${id}` && a.created).length +
        singleAnswers.filter((a, i) => ids[i] === id && a.created).length;
      expect(created).toBe(1);
      expect(await carts.countOrders(`cart_${id}`)).toBe(1);
    }
  });
});

describe('PostgresCartStore without a URL (the module embedded database gets one only once it has started)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('waits for open(url), which creates the tables, then answers the calls made before it', async () => {
    const carts = new PostgresCartStore();
    expect(() => carts.pool).toThrow('no database yet');
    const early = carts.retrieveCartByPaymentCollection('pay_col_early');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await carts.open(database.url);
    await expect(early).resolves.toBeNull();
    await carts.createCart('pay_col_1', 'cart_lazy');
    await expect(carts.completeCart('cart_lazy')).resolves.toMatchObject({ created: true });
    await expect(carts.open(database.url)).rejects.toThrow('already connected');
    await carts.close();
  });
});
