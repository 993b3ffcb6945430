import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PaymentAction, PaymentDataInput } from '@tender/core';
import type { TestPaymentModule } from '@tender/payment-module/testing';
import type { ProcessPaymentInput } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import type { PostgresCartStore } from '@tender/reference-cart';
import fc from 'fast-check';
import { checkout, startWorkflowModule, workflowAsTheWorkerRunsIt } from './support/workflow-fixture.js';

// Whatever order and however often one session's events arrive, the amounts and statuses recorded are the
// same: for a gateway with no status call (the webhooks' amounts decide) and for one whose status decides.

/** A gateway with a status call whose own record says: 50.00 authorized, 10.00 of it captured. */
class StatusGatewayProvider extends SystemPaymentProvider {
  static override identifier = 'status-gateway';
  override canAskStatus(): boolean {
    return true;
  }
  override async authorizePayment(input: PaymentDataInput) {
    return { status: 'captured' as const, data: input.data, amount: '50.00', captured_amount: '10.00' };
  }
  override async getPaymentStatus(input: PaymentDataInput) {
    return this.authorizePayment(input);
  }
}

const WEBHOOK_DECIDES = 'pp_system_default';
const STATUS_DECIDES = 'pp_status-gateway_default';

let payments: TestPaymentModule;
let carts: PostgresCartStore;

beforeAll(async () => {
  ({ payments, carts } = await startWorkflowModule([
    { resolve: SystemPaymentProvider, id: 'default' },
    { resolve: StatusGatewayProvider, id: 'default' },
  ]));
});
afterAll(async () => {
  await carts?.close();
  await payments?.close();
});

/** One session's events as its gateway would send them: authorized 50.00, captured 10.00, a late failure. */
const EVENTS: { action: PaymentAction; amount: string; event_id: string }[] = [
  { action: 'authorized', amount: '50.00', event_id: 'auth' },
  { action: 'captured', amount: '10.00', event_id: 'capture' },
  { action: 'failed', amount: '50.00', event_id: 'failed' },
];

/** Any order of the events, each delivered one to three times. */
const deliveries = fc.tuple(...EVENTS.map(() => fc.integer({ min: 1, max: 3 }))).chain((counts) =>
  fc.shuffledSubarray(
    EVENTS.flatMap((e, i) => Array(counts[i]!).fill(e)),
    { minLength: counts.reduce((a, b) => a + b) },
  ),
);

async function finalState(provider: string, events: typeof EVENTS) {
  const { collection, session, cart } = await checkout(payments, carts, '50.00', { provider });
  const workflow = workflowAsTheWorkerRunsIt(payments);
  for (const event of events) {
    const input: ProcessPaymentInput = {
      action: event.action,
      provider_id: provider,
      data: { session_id: session.id, amount: event.amount, currency_code: 'usd' },
      event_id: `${session.id}:${event.event_id}`,
    };
    await workflow.run({ input });
  }
  const stored = await payments.service.retrievePaymentCollection(collection.id);
  const list = await payments.service.listPayments({ payment_session_id: session.id });
  return {
    collection: [stored.status, stored.authorized_amount, stored.captured_amount],
    session: (await payments.service.retrievePaymentSession(session.id)).status,
    payments: list.map((p) => [p.amount, p.captured_amount, p.captures.length]),
    orders: await carts.countOrders(cart.id),
  };
}

describe.each([
  ['a gateway with no status call', WEBHOOK_DECIDES],
  ['a gateway whose status decides', STATUS_DECIDES],
])('event order and duplicates, %s', (_name, provider) => {
  it('every permutation ends as the events in their natural order do', async () => {
    const expected = await finalState(provider, EVENTS);
    expect(expected).toEqual({
      collection: ['partially_captured', '50', '10'],
      session: 'captured',
      payments: [['50', '10', 1]],
      orders: 1,
    });
    await fc.assert(
      fc.asyncProperty(deliveries, async (events) => {
        expect(await finalState(provider, events)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
