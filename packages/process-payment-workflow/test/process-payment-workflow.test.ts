import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { PaymentAction } from '@tender/core';
import type { DomainEvent, WorkflowDependencies } from '@tender/payment-module';
import type { TestPaymentModule } from '@tender/payment-module/testing';
import { type ProcessPaymentInput, StepFailedError } from '@tender/process-payment-workflow';
import { CallbackOnlyProvider } from '@tender/provider-system/testing';
import type { PostgresCartStore } from '@tender/reference-cart';
import {
  COUNTING,
  CountingProvider,
  checkout as newCheckout,
  startWorkflowModule,
  workflowAsTheWorkerRunsIt,
} from './support/workflow-fixture.js';

let payments: TestPaymentModule;
let carts: PostgresCartStore;
let events: DomainEvent[];

beforeAll(async () => {
  ({ payments, carts } = await startWorkflowModule([
    { resolve: CountingProvider, id: 'default' },
    { resolve: CallbackOnlyProvider, id: 'default' },
  ]));
  payments.events.subscribe('*', (event) => {
    events.push(event);
  });
});
afterAll(async () => {
  await carts?.close();
  await payments?.close();
});
beforeEach(async () => {
  await payments.events.drain();
  events = [];
  CountingProvider.reset();
});

/** What a test swaps in for its own runs (a failing cart, a hook); reset by the test that sets it. */
let overrides: Partial<WorkflowDependencies> = {};
const workflow = () => workflowAsTheWorkerRunsIt(payments, overrides);

let eventSeq = 0;
function run(action: PaymentAction, session_id: string | undefined, amount = '25.00', extra: Partial<ProcessPaymentInput> = {}) {
  return workflow().run({
    input: {
      action,
      provider_id: COUNTING,
      data: session_id ? { session_id, amount, currency_code: 'usd' } : undefined,
      event_id: `evt_${++eventSeq}`,
      ...extra,
    },
  });
}

const checkout = (amount = '25.00') => newCheckout(payments, carts, amount);

/** The events delivered so far (the outbox delivers after the commit, so wait for it first). */
const names = async () => {
  await payments.events.drain();
  return events.map((e) => e.name);
};

describe('each action', () => {
  it('authorized: creates the payment and completes the cart', async () => {
    const { collection, session, cart } = await checkout();
    const result = await run('authorized', session.id);
    expect(result).toMatchObject({ outcome: 'processed', collection_status: 'authorized', completed_now: true });
    expect((await payments.service.retrievePaymentSession(session.id)).status).toBe('authorized');
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('authorized');
    expect((await carts.retrieveCart(cart.id))?.order_id).toBe(result.order_id);
    expect(await names()).toEqual(['payment.authorized', 'cart.completed']);
  });

  it('captured with a payment: records the capture without a second provider capture', async () => {
    const { collection, session } = await checkout();
    await run('authorized', session.id);
    const result = await run('captured', session.id);
    expect(result.collection_status).toBe('completed');
    const [payment] = await payments.service.listPayments({ payment_session_id: session.id });
    expect(payment!.captures).toEqual([expect.objectContaining({ amount: '25', source: 'provider', status: 'succeeded' })]);
    expect(CountingProvider.calls.capture).toBe(0);
    expect((await payments.service.retrievePaymentCollection(collection.id)).captured_amount).toBe('25');
    expect((await payments.service.retrievePaymentSession(session.id)).status).toBe('captured');
    expect(await names()).toEqual(['payment.authorized', 'cart.completed', 'payment.captured']);
  });

  it('captured with no payment yet (auto-capture): authorizes, records the capture, completes the cart', async () => {
    const { session, cart } = await checkout();
    const result = await run('captured', session.id);
    expect(result).toMatchObject({ outcome: 'processed', collection_status: 'completed', completed_now: true });
    expect(CountingProvider.calls.capture).toBe(0);
    expect((await carts.retrieveCart(cart.id))?.order_id).toBeTruthy();
  });

  it('captured for a gateway with no status call: the verified webhook decides', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '12.00' });
    const session = await payments.service.createPaymentSession(collection.id, {
      provider_id: 'pp_callback-only_default',
      amount: '12.00',
      currency_code: 'eur',
    });
    const cart = await carts.createCart(collection.id);
    const result = await run('captured', session.id, '12.00', {
      provider_id: 'pp_callback-only_default',
      data: { session_id: session.id, amount: '12.00', currency_code: 'eur' },
    });
    expect(result).toMatchObject({ outcome: 'processed', collection_status: 'completed', completed_now: true });
    expect(await carts.countOrders(cart.id)).toBe(1);
    // Asked directly (no webhook), the same provider's "pending" is still not an authorization.
    const other = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '1.00' });
    const pending = await payments.service.createPaymentSession(other.id, {
      provider_id: 'pp_callback-only_default',
      amount: '1.00',
      currency_code: 'eur',
    });
    await expect(payments.service.authorizePaymentSession(pending.id)).rejects.toThrow(
      /is pending at the provider, not authorized/,
    );
  });

  it('a partial capture total leaves the collection partially captured', async () => {
    const { session } = await checkout('100');
    const result = await run('captured', session.id, '40');
    expect(result.collection_status).toBe('partially_captured');
    await run('captured', session.id, '100');
    const [payment] = await payments.service.listPayments({ payment_session_id: session.id });
    expect(payment!.captures.map((c) => c.amount)).toEqual(['40', '60']);
  });

  it.each([
    ['failed', 'error', 'payment.failed', 'failed'],
    ['canceled', 'canceled', 'payment.canceled', 'canceled'],
    ['requires_more', 'requires_more', undefined, 'awaiting'],
    ['pending', 'pending', undefined, 'awaiting'],
    ['pending_authorization', 'pending_authorization', undefined, 'awaiting'],
  ] as const)('%s: session becomes %s, the cart is not completed', async (action, sessionStatus, event, collectionStatus) => {
    const { collection, session, cart } = await checkout();
    const result = await run(action, session.id);
    expect(result.outcome).toBe('processed');
    expect((await payments.service.retrievePaymentSession(session.id)).status).toBe(sessionStatus);
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe(collectionStatus);
    expect((await carts.retrieveCart(cart.id))?.order_id).toBeNull();
    // A new session is already `pending`, so that action changes nothing and emits nothing.
    const expected = action === 'pending' ? [] : ['payment_session.updated', ...(event ? [event] : [])];
    expect(await names()).toEqual(expected);
  });

  it('refunded: records the refund without calling the provider again', async () => {
    const { collection, session } = await checkout('30');
    await run('captured', session.id, '30');
    await run('refunded', session.id, '10');
    await run('refunded', session.id, '10'); // the same running total again: nothing new
    expect(CountingProvider.calls.refund).toBe(0);
    expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: '10',
    });
    await run('refunded', session.id, '30');
    expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'refunded',
      refunded_amount: '30',
    });
  });

  it('refunded with a reference records each refund once, by its own amount', async () => {
    const { collection, session } = await checkout('30');
    await run('captured', session.id, '30');
    const refund = (reference: string, amount: string) =>
      workflow().run({
        input: {
          action: 'refunded',
          provider_id: COUNTING,
          data: { session_id: session.id, amount, reference },
          event_id: `evt_${++eventSeq}`,
        },
      });
    await refund('re_1', '10');
    await refund('re_1', '10'); // the same refund reported again
    await refund('re_2', '5');
    expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: '15',
    });
    await refund('re_3', '50'); // never more than what is left to refund
    expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'refunded',
      refunded_amount: '30',
    });
  });

  it('refunded before the capture is recorded fails so the inbox retries it later', async () => {
    const { session } = await checkout();
    await expect(run('refunded', session.id, '5')).rejects.toThrow(/arrived before its capture was recorded/);
  });
});

describe('out of order', () => {
  it('captured before authorized ends captured with one order', async () => {
    const { collection, session, cart } = await checkout();
    await run('captured', session.id);
    await run('authorized', session.id);
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('completed');
    expect(await payments.service.listPayments({ payment_session_id: session.id })).toHaveLength(1);
    expect(await carts.countOrders(cart.id)).toBe(1);
  });

  it('a late failed or canceled never downgrades a captured payment', async () => {
    const { collection, session } = await checkout();
    await run('captured', session.id);
    for (const action of ['failed', 'canceled', 'requires_more', 'pending'] as const) await run(action, session.id);
    expect((await payments.service.retrievePaymentSession(session.id)).status).toBe('captured');
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('completed');
    expect(await names()).not.toContain('payment.failed');
  });
});

describe('duplicates and races', () => {
  it('the same action 10 times concurrently: one payment, one capture, one order', async () => {
    const { session, cart } = await checkout();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => run('captured', session.id)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const list = await payments.service.listPayments({ payment_session_id: session.id });
    expect(list).toHaveLength(1);
    expect(list[0]!.captures).toHaveLength(1);
    expect(await carts.countOrders(cart.id)).toBe(1);
    expect((await names()).filter((n) => n === 'cart.completed')).toHaveLength(1);
  });

  it('webhook and storefront completing the same cart at once: one order', async () => {
    for (let i = 0; i < 5; i++) {
      const { session, cart } = await checkout();
      await payments.service.authorizePaymentSession(session.id);
      const [webhook, storefront] = await Promise.all([run('authorized', session.id), carts.completeCart(cart.id)]);
      expect(await carts.countOrders(cart.id)).toBe(1);
      expect(webhook.order_id).toBe(storefront.order_id);
    }
  });
});

describe('compensation and failures', () => {
  it('a failing cart completion leaves the payment recorded and the event retryable', async () => {
    const { collection, session, cart } = await checkout();
    const failing = {
      retrieveCartByPaymentCollection: (id: string) => carts.retrieveCartByPaymentCollection(id),
      completeCart: async () => {
        throw new Error('order service is down');
      },
    };
    overrides = { cartPort: failing };
    try {
      await expect(run('authorized', session.id)).rejects.toThrow(/order service is down/);
    } finally {
      overrides = {};
    }
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('authorized');
    expect(await carts.countOrders(cart.id)).toBe(0);
    const retry = await run('authorized', session.id);
    expect(retry.completed_now).toBe(true);
    expect(await carts.countOrders(cart.id)).toBe(1);
  });

  it('a failing step after authorization cancels the authorization this run created', async () => {
    const { collection, session, cart } = await checkout();
    overrides = {
      afterPaymentHook: async () => {
        throw new Error('fraud check rejected the order');
      },
    };
    try {
      const error = await run('authorized', session.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepFailedError);
      expect((error as StepFailedError).compensated).toEqual(['authorize-payment-session']);
    } finally {
      overrides = {};
    }
    const [payment] = await payments.service.listPayments({ payment_session_id: session.id });
    expect(payment!.canceled_at).not.toBeNull();
    expect(CountingProvider.calls.cancel).toBe(1);
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('canceled');
    expect(await carts.countOrders(cart.id)).toBe(0);
  });
});

describe('what is ignored', () => {
  it('an event without a session id, or with an unknown one, touches nothing and says why', async () => {
    const { cart } = await checkout();
    expect(await run('authorized', undefined)).toMatchObject({
      outcome: 'ignored',
      reason: 'the event names no payment session',
    });
    expect(await run('captured', 'payses_unknown')).toMatchObject({
      outcome: 'ignored',
      reason: 'payment session payses_unknown does not exist',
    });
    expect(await carts.countOrders(cart.id)).toBe(0);
    await payments.events.drain();
    expect(events).toEqual([]);
  });

  it('a session of another tenant is never touched', async () => {
    const { session } = await checkout();
    const result = await run('captured', session.id, '25', { tenant: 'tenant-b' });
    expect(result).toMatchObject({ outcome: 'ignored', reason: `payment session ${session.id} belongs to another tenant` });
    expect(await payments.service.listPayments({ payment_session_id: session.id })).toHaveLength(0);
  });

  it('not_supported needs no change', async () => {
    expect((await run('not_supported', undefined)).outcome).toBe('ignored');
  });
});
