import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { until } from '@tender/core/testing';
import type { AfterPaymentHook } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { PostgresCartStore } from '@tender/reference-cart';
import { checkout as newCheckout } from './support/workflow-fixture.js';

// `afterPaymentHook` as a module option, end to end: a signed webhook through the module's receiver, the
// inbox, the module's own worker and the workflow, on a real database.
const SECRET = 'whsec_after_payment_hook_test_0123456789';
type HookCall = Parameters<AfterPaymentHook>[0] & { orders: number };

let payments: TestPaymentModule;
let carts: PostgresCartStore;
const calls: HookCall[] = [];
let refuse = new Set<string>();

beforeAll(async () => {
  carts = new PostgresCartStore();
  payments = await createTestPaymentModule({
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SECRET] } }],
    workflow: processPaymentWorkflow,
    cart: carts,
    afterPaymentHook: async (args) => {
      const cart = await carts.retrieveCartByPaymentCollection(args.session.payment_collection_id);
      calls.push({ ...args, orders: cart?.order_id ? 1 : 0 });
      if (refuse.has(args.session.id)) throw new Error('fraud check rejected the order');
    },
    worker: { pollIntervalMs: 25, baseDelayMs: 20, maxDelayMs: 50 },
  });
  await carts.open(payments.databaseUrl);
});
afterAll(async () => {
  await payments?.close();
  await carts?.close();
});

const checkout = () => newCheckout(payments, carts, '12.00', { provider: 'pp_system_default' });

function authorizedWebhook(sessionId: string) {
  const webhook = createSystemWebhook({ secret: SECRET, type: 'payment.authorized', session_id: sessionId, amount: '12.00' });
  return payments.receiveWebhook({
    provider: 'system_default',
    method: 'POST',
    headers: webhook.headers,
    query: {},
    rawBody: webhook.rawBody,
  });
}

describe('afterPaymentHook, set as a module option', () => {
  it("runs after a webhook's authorization is recorded and before the cart is completed", async () => {
    const { collection, session, cart } = await checkout();
    const receipt = await authorizedWebhook(session.id);
    expect(receipt.outcome).toBe('accepted');
    await until(async () => (await carts.countOrders(cart.id)) === 1);

    const call = calls.find((c) => c.session.id === session.id);
    expect(call).toBeDefined();
    expect(call!.input).toMatchObject({
      action: 'authorized',
      provider_id: 'pp_system_default',
      webhook_event_id: receipt.webhook_event_id,
      event_id: receipt.event_id,
    });
    // The session as it stands once authorized, and its payment, already in the database; no order yet.
    expect(call!.session.status).toBe('authorized');
    expect(call!.payment).toMatchObject({ payment_session_id: session.id, amount: '12' });
    const [stored] = await payments.service.listPayments({ payment_session_id: session.id });
    expect(stored!.id).toBe(call!.payment.id);
    expect(call!.orders).toBe(0);
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('authorized');
  });

  it('a hook that throws undoes the authorization and leaves the cart open; the event fails, to be retried', async () => {
    const { session, cart } = await checkout();
    refuse = new Set([session.id]);
    const receipt = await authorizedWebhook(session.id);
    await until(async () => (await payments.webhooks.retrieve(receipt.webhook_event_id)).status === 'failed');
    const event = await payments.webhooks.retrieve(receipt.webhook_event_id);
    expect(event.last_error).toMatch(/after-payment-hook.*fraud check rejected the order/);
    const [canceled] = await payments.service.listPayments({ payment_session_id: session.id });
    expect(canceled!.canceled_at).not.toBeNull();
    expect(await carts.countOrders(cart.id)).toBe(0);

    expect(event.next_attempt_at).not.toBeNull(); // to be retried, with backoff
    refuse = new Set();
  });
});
