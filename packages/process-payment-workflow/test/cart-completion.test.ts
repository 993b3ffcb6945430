import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CartPort } from '@tender/core';
import type { DomainEvent } from '@tender/payment-module';
import type { TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import { checkout, startWorkflowModule, workflowAsTheWorkerRunsIt } from './support/workflow-fixture.js';

/** The reference cart, counting its batch calls. */
class CountingCartStore extends PostgresCartStore {
  batchCalls: number[] = [];
  override async completeCartsOfPaymentCollections(ids: string[]) {
    this.batchCalls.push(ids.length);
    return super.completeCartsOfPaymentCollections(ids);
  }
}

let payments: TestPaymentModule;
let carts: CountingCartStore;
let events: DomainEvent[] = [];

beforeAll(async () => {
  ({ payments, carts } = await startWorkflowModule([{ resolve: SystemPaymentProvider, id: 'default' }], CountingCartStore));
  payments.events.subscribe('cart.completed', (event) => {
    events.push(event);
  });
});
afterAll(async () => {
  await carts?.close();
  await payments?.close();
});
beforeEach(() => {
  events = [];
  carts.batchCalls = [];
});

const checkouts = (n: number) =>
  Promise.all(Array.from({ length: n }, () => checkout(payments, carts, '10.00', { provider: 'pp_system_default' })));

/** The cart.completed events delivered for these collections (another test's may still be arriving). */
const delivered = (collections: string[]) => events.filter((e) => collections.includes(e.payment_collection_id ?? ''));

let cartPort: CartPort | null = null;
function useCart(port: CartPort) {
  cartPort = port;
}

let seq = 0;
const captured = (session_id: string) =>
  workflowAsTheWorkerRunsIt(payments, { cartPort }).run({
    input: {
      action: 'captured',
      provider_id: 'pp_system_default',
      data: { session_id, amount: '10.00' },
      event_id: `evt_cart_${++seq}`,
    },
  });

describe('cart completion', () => {
  it('runs finishing at the same moment complete their carts together: fewer cart calls than orders, one order each', async () => {
    useCart(carts);
    const made = await checkouts(12);
    const results = await Promise.all(made.map(({ session }) => captured(session.id)));
    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ outcome: 'processed', completed_now: true });
      expect((await carts.retrieveCart(made[i]!.cart.id))?.order_id).toBe(result.order_id);
      expect(await carts.countOrders(made[i]!.cart.id)).toBe(1);
    }
    expect(carts.batchCalls.reduce((a, b) => a + b, 0)).toBe(12);
    expect(carts.batchCalls.length).toBeLessThan(12);
    // Written with the orders; the relay delivers them after the commit.
    const collections = made.map(({ collection }) => collection.id);
    await payments.events.drain();
    expect(delivered(collections)).toHaveLength(12);
  });

  it('the same webhook twice at once: one order, one cart.completed', async () => {
    useCart(carts);
    const [{ session, cart, collection }] = await checkouts(1);
    const results = await Promise.all([captured(session!.id), captured(session!.id)]);
    expect(results.filter((r) => r.completed_now)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order_id)).size).toBe(1);
    expect(await carts.countOrders(cart!.id)).toBe(1);
    await payments.events.drain();
    expect(delivered([collection!.id])).toHaveLength(1);
  });

  it('a port with only retrieveCartByPaymentCollection and completeCart completes each cart with them', async () => {
    const calls = { retrieve: 0, complete: 0 };
    useCart({
      retrieveCartByPaymentCollection: (id) => {
        calls.retrieve++;
        return carts.retrieveCartByPaymentCollection(id);
      },
      completeCart: (id) => {
        calls.complete++;
        return carts.completeCart(id);
      },
    });
    const made = await checkouts(4);
    const results = await Promise.all(made.map(({ session }) => captured(session.id)));
    expect(results.every((r) => r.completed_now)).toBe(true);
    expect(calls).toEqual({ retrieve: 4, complete: 4 });
    expect(carts.batchCalls).toEqual([]);
    // Again: the carts are found completed and nothing is created.
    const again = await Promise.all(made.map(({ session }) => captured(session.id)));
    expect(again.map((r) => r.order_id)).toEqual(results.map((r) => r.order_id));
    expect(again.every((r) => !r.completed_now)).toBe(true);
    expect(calls.complete).toBe(4);
    const collections = made.map(({ collection }) => collection.id);
    await payments.events.drain();
    expect(delivered(collections)).toHaveLength(4);
  });
});
