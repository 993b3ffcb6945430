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
