import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { normalizeAmount, type PaymentAction, TenderError } from '@tender/core';
import type { DomainEvent, WorkflowDependencies } from '@tender/payment-module';
import type { TestPaymentModule } from '@tender/payment-module/testing';
import { type ProcessPaymentInput, type ProcessPaymentResult, StepFailedError } from '@tender/process-payment-workflow';
import { createSystemWebhook, UnreachableGatewayProvider } from '@tender/provider-system/testing';
import type { PostgresCartStore } from '@tender/reference-cart';
import {
  COUNTING,
  CountingProvider,
  checkout as newCheckout,
  startWorkflowModule,
  workflowAsTheWorkerRunsIt,
} from './support/workflow-fixture.js';

const FAILING = 'pp_failing_default';
const SECRET = 'whsec_prepare_test_secret';
const OTHER_TENANT = 'tenant-b';

let payments: TestPaymentModule;
let carts: PostgresCartStore;
let events: DomainEvent[];

beforeAll(async () => {
  ({ payments, carts } = await startWorkflowModule([
    { resolve: CountingProvider, id: 'default', options: { webhookSecrets: [SECRET] } },
    { resolve: UnreachableGatewayProvider, id: 'default' },
  ]));
  await payments.tenants.createTenant(OTHER_TENANT);
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

const checkout = (amount = '25.00', options: { tenant?: string; provider?: string } = {}) =>
  newCheckout(payments, carts, amount, options);

let eventSeq = 0;
function input(
  action: PaymentAction,
  session_id: string | undefined,
  amount = '25.00',
  extra: Partial<ProcessPaymentInput> = {},
): ProcessPaymentInput {
  return {
    action,
    provider_id: COUNTING,
    data: session_id ? { session_id, amount, currency_code: 'usd' } : undefined,
    event_id: `evt_prepare_${++eventSeq}`,
    tenant: 'default',
    ...extra,
  };
}

/** What a test swaps in for its own runs (a hook); reset by the test that sets it. */
let overrides: Partial<WorkflowDependencies> = {};
const configuredWorkflow = () => workflowAsTheWorkerRunsIt(payments, overrides);

/** What the worker does with a claimed batch: every input run at the same moment. */
async function runTogether(inputs: ProcessPaymentInput[]) {
  const workflow = configuredWorkflow();
  const results = await Promise.allSettled(inputs.map((one) => workflow.run({ input: one })));
  return { results };
}

function value(result: PromiseSettledResult<ProcessPaymentResult> | undefined): ProcessPaymentResult {
  if (result?.status !== 'fulfilled') throw new Error(`expected a result, got ${JSON.stringify(result)}`);
  return result.value;
}

function failure(result: PromiseSettledResult<ProcessPaymentResult> | undefined): unknown {
  if (result?.status !== 'rejected') throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.reason;
}

/** The transaction ids that last wrote these payments' rows. */
async function paymentWriters(ids: string[]): Promise<string[]> {
  const rows = await payments.orm.em
    .fork()
    .execute<{ x: string }[]>(`select xmin::text as x from payment where id in (${ids.map(() => '?').join(', ')})`, ids);
  expect(rows).toHaveLength(ids.length);
  return rows.map((r) => r.x);
}

const count = (name: string) => events.filter((e) => e.name === name).length;

describe('runs of the same moment', () => {
  it('8 captured webhooks at once: their authorizations share commits, each run completes its cart', async () => {
    const checkouts = await Promise.all(Array.from({ length: 8 }, () => checkout()));
    const inputs = checkouts.map(({ session }) => input('captured', session.id));
    const workflow = configuredWorkflow();
    const results = await Promise.all(inputs.map((one) => workflow.run({ input: one })));
    const paymentIds = results.map((r) => r.payment_id!);
    // The first is written at once, the seven that arrived meanwhile together.
    expect(new Set(await paymentWriters(paymentIds)).size).toBeLessThanOrEqual(2);
    // The system provider has no status call: the webhook decides and nothing is asked of it.
    expect(CountingProvider.calls.authorize).toBe(0);
    for (const [i, { collection, session, cart }] of checkouts.entries()) {
      const result = results[i]!;
      expect(result).toMatchObject({
        outcome: 'processed',
        session_id: session.id,
        payment_id: paymentIds[i],
        payment_collection_id: collection.id,
        collection_status: 'completed',
        completed_now: true,
      });
      const list = await payments.service.listPayments({ payment_session_id: session.id });
      expect(list.map((p) => p.id)).toEqual([paymentIds[i]]);
      expect(list[0]!.captures.map((c) => c.amount)).toEqual(['25']);
      expect(await carts.countOrders(cart.id)).toBe(1);
      expect((await carts.retrieveCart(cart.id))?.order_id).toBe(result.order_id);
      expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
        status: 'completed',
        authorized_amount: '25',
        captured_amount: '25',
      });
      expect((await payments.service.retrievePaymentSession(session.id)).status).toBe('captured');
    }
    await payments.events.drain();
    expect([count('payment.authorized'), count('payment.captured'), count('cart.completed')]).toEqual([8, 8, 8]);
  });

  it("another tenant's session is never touched; unknown sessions and events with nothing to do are ignored", async () => {
    const own = await checkout();
    const theirs = await checkout('25.00', { tenant: OTHER_TENANT });
    const ownButAskedByThem = await checkout();
    const inputs = [
      input('captured', own.session.id),
      input('captured', theirs.session.id), // arrived for the default tenant
      input('authorized', ownButAskedByThem.session.id, '25.00', { tenant: OTHER_TENANT }),
      input('captured', 'payses_unknown'),
      input('authorized', undefined),
      input('not_supported', undefined),
    ];
    const { results } = await runTogether(inputs);

    expect(value(results[0])).toMatchObject({ outcome: 'processed', collection_status: 'completed', completed_now: true });
    expect(value(results[1])).toMatchObject({
      outcome: 'ignored',
      reason: `payment session ${theirs.session.id} belongs to another tenant`,
    });
    expect(value(results[2])).toMatchObject({
      outcome: 'ignored',
      reason: `payment session ${ownButAskedByThem.session.id} belongs to another tenant`,
    });
    expect(value(results[3])).toMatchObject({ outcome: 'ignored', reason: 'payment session payses_unknown does not exist' });
    expect(value(results[4])).toMatchObject({ outcome: 'ignored', reason: 'the event names no payment session' });
    expect(value(results[5]).outcome).toBe('ignored');

    // The system provider has no status call: the webhook decides and nothing is asked of it.
    expect(CountingProvider.calls.authorize).toBe(0);
    for (const untouched of [theirs, ownButAskedByThem]) {
      expect(await payments.service.listPayments({ payment_session_id: untouched.session.id })).toEqual([]);
      expect((await payments.service.retrievePaymentSession(untouched.session.id)).status).toBe('pending');
      expect((await payments.service.retrievePaymentCollection(untouched.collection.id)).status).toBe('awaiting');
      expect(await carts.countOrders(untouched.cart.id)).toBe(0);
    }
    expect(await carts.countOrders(own.cart.id)).toBe(1);
    await payments.events.drain();
    expect(events.map((e) => e.data.session_id ?? e.data.payment_collection_id)).not.toContain(theirs.session.id);
  });

  it('the same webhook twice in one batch: one payment, one capture, one order', async () => {
    const twice = await checkout();
    const other = await checkout();
    const { results } = await runTogether([
      input('captured', twice.session.id),
      input('captured', other.session.id),
      input('captured', twice.session.id),
    ]);
    const first = value(results[0]);
    const second = value(results[2]);
    expect(first).toMatchObject({ outcome: 'processed', collection_status: 'completed' });
    expect(second).toMatchObject({ outcome: 'processed', collection_status: 'completed' });
    expect(second.payment_id).toBe(first.payment_id);
    expect(second.order_id).toBe(first.order_id);
    expect([first.completed_now, second.completed_now].filter(Boolean)).toHaveLength(1);
    expect(value(results[1])).toMatchObject({ outcome: 'processed', completed_now: true });

    const list = await payments.service.listPayments({ payment_session_id: twice.session.id });
    expect(list).toHaveLength(1);
    expect(list[0]!.captures.map((c) => c.amount)).toEqual(['25']);
    expect(await carts.countOrders(twice.cart.id)).toBe(1);
    await payments.events.drain();
    expect(events.filter((e) => e.name === 'cart.completed' && e.data.cart_id === twice.cart.id)).toHaveLength(1);
    expect(events.filter((e) => e.name === 'payment.captured' && e.data.session_id === twice.session.id)).toHaveLength(1);
  });

  it('a failing afterPaymentHook compensates only its own run, and only a payment that run created', async () => {
    const rejectedByHook = await checkout();
    const fine = await checkout();
    const paidBefore = await checkout();
    const existing = await payments.service.authorizePaymentSession(paidBefore.session.id);
    const refuse = new Set([rejectedByHook.session.id, paidBefore.session.id]);
    overrides = {
      afterPaymentHook: async ({ session }) => {
        if (refuse.has(session.id)) throw new Error('fraud check rejected the order');
      },
    };
    let results: PromiseSettledResult<ProcessPaymentResult>[];
    try {
      ({ results } = await runTogether([
        input('authorized', rejectedByHook.session.id),
        input('authorized', fine.session.id),
        input('authorized', paidBefore.session.id),
      ]));
    } finally {
      overrides = {};
    }

    const error = failure(results[0]);
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error).toMatchObject({
      step: 'after-payment-hook',
      compensated: ['authorize-payment-session'],
      compensationErrors: [],
    });
    const [canceled] = await payments.service.listPayments({ payment_session_id: rejectedByHook.session.id });
    expect(canceled!.canceled_at).not.toBeNull();
    expect((await payments.service.retrievePaymentCollection(rejectedByHook.collection.id)).status).toBe('canceled');
    expect(await carts.countOrders(rejectedByHook.cart.id)).toBe(0);

    expect(value(results[1])).toMatchObject({ outcome: 'processed', collection_status: 'authorized', completed_now: true });
    const [kept] = await payments.service.listPayments({ payment_session_id: fine.session.id });
    expect(kept!.canceled_at).toBeNull();
    expect(await carts.countOrders(fine.cart.id)).toBe(1);

    // Its payment existed before the batch: the failing hook leaves it alone.
    expect(failure(results[2])).toBeInstanceOf(StepFailedError);
    const stillThere = await payments.service.retrievePayment(existing.id);
    expect(stillThere.canceled_at).toBeNull();
    expect((await payments.service.retrievePaymentCollection(paidBefore.collection.id)).status).toBe('authorized');

    expect(CountingProvider.calls.cancel).toBe(1);
  });

  it('an authorization the provider cannot answer fails only its own run', async () => {
    const down = await checkout('25.00', { provider: FAILING });
    const fine = await checkout();
    const { results } = await runTogether([
      input('captured', down.session.id, '25.00', { provider_id: FAILING }),
      input('captured', fine.session.id),
    ]);
    const error = failure(results[0]) as StepFailedError;
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error.step).toBe('authorize-payment-session');
    expect(error.cause).toBeInstanceOf(TenderError);
    expect(error.cause).toMatchObject({ type: 'provider_error', message: expect.stringContaining('gateway timed out') });
    expect(await payments.service.listPayments({ payment_session_id: down.session.id })).toEqual([]);
    expect(await carts.countOrders(down.cart.id)).toBe(0);
    expect(value(results[1])).toMatchObject({ outcome: 'processed', completed_now: true });
    expect(await carts.countOrders(fine.cart.id)).toBe(1);
  });
});

describe("a worker's claimed batch", () => {
  async function deliver(session_id: string, id?: string, type = 'payment.captured') {
    const webhook = createSystemWebhook({ secret: SECRET, type, session_id, amount: '25.00', currency_code: 'usd', id });
    return payments.receiveWebhook({
      provider: 'counting_default',
      method: 'POST',
      headers: webhook.headers,
      query: {},
      rawBody: webhook.rawBody,
    });
  }

  async function inboxStatus(ids: string[]): Promise<string[]> {
    const rows = await payments.orm.em
      .fork()
      .execute<{ id: string; status: string }[]>(
        `select id, status from webhook_event where id in (${ids.map(() => '?').join(', ')})`,
        ids,
      );
    return ids.map((id) => rows.find((r) => r.id === id)?.status ?? 'missing');
  }

  /** Stores captured webhooks for 6 sessions, a second delivery (new event id) for the first, and one for no session. */
  async function batch() {
    const checkouts = await Promise.all(Array.from({ length: 6 }, () => checkout()));
    const receipts = [];
    for (const { session } of checkouts) receipts.push(await deliver(session.id));
    receipts.push(await deliver(checkouts[0]!.session.id));
    receipts.push(await deliver('payses_nowhere'));
    return { checkouts, ids: receipts.map((r) => r.webhook_event_id) };
  }

  async function expectOnePaymentAndOrderEach(checkouts: Awaited<ReturnType<typeof checkout>>[]): Promise<string[]> {
    const ids: string[] = [];
    for (const { session, cart, collection } of checkouts) {
      const list = await payments.service.listPayments({ payment_session_id: session.id });
      expect(list).toHaveLength(1);
      expect(list[0]!.captured_amount).toBe(normalizeAmount('25.00'));
      expect(await carts.countOrders(cart.id)).toBe(1);
      expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('completed');
      ids.push(list[0]!.id);
    }
    return ids;
  }

  it('one claimed batch: every event processed, the new payments written together', async () => {
    const { checkouts, ids } = await batch();
    expect(await payments.createWorker({ batchSize: 16 }).drain()).toBe(8);
    expect(await inboxStatus(ids)).toEqual([...Array(7).fill('processed'), 'ignored']);
    const paymentIds = await expectOnePaymentAndOrderEach(checkouts);
    // Fewer commits than payments: the batch's authorizations were written together.
    expect(new Set(await paymentWriters(paymentIds)).size).toBeLessThan(paymentIds.length);
    // The system provider has no status call: the webhook decides and nothing is asked of it.
    expect(CountingProvider.calls.authorize).toBe(0);
  });
});
