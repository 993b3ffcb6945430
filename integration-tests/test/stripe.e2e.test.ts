import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { normalizeAmount } from '@tender/core';
import { StripeProvider } from '@tender/provider-stripe';
import {
  createStripeWebhook,
  type StripeEmulator,
  startStripeEmulator,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
} from '@tender/provider-stripe/testing';
import { eventually, send, startTestApp, type TestApp } from '../support/app.js';

let emulator: StripeEmulator;
let app: TestApp;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  app = await startTestApp({
    adapter: 'express',
    providers: [
      {
        resolve: StripeProvider,
        id: 'stripe',
        options: { apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, ...emulator.options },
      },
    ],
  });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

const route = () => `${app.url}/hooks/payment/stripe_stripe`;

/** A checkout paid by card: the PaymentIntent is authorized (requires_capture), then captured at Stripe. */
async function cardCheckout(amount: string) {
  const checkout = await app.checkout(amount, 'pp_stripe_stripe', 'usd');
  const intent = emulator.paymentIntentForSession(checkout.sessionId)!;
  expect(intent.metadata).toMatchObject({ session_id: checkout.sessionId });
  const authorizedIntent = emulator.setPaymentIntentStatus(intent.id as string, 'requires_capture');
  const authorized = createStripeWebhook({
    secret: TEST_WEBHOOK_SECRET,
    type: 'payment_intent.amount_capturable_updated',
    object: authorizedIntent,
  });
  /** The merchant (or Stripe, for auto-capture) captures: the PaymentIntent succeeds and Stripe says so. */
  const capture = () => {
    const capturedIntent = emulator.setPaymentIntentStatus(intent.id as string, 'succeeded');
    return createStripeWebhook({ secret: TEST_WEBHOOK_SECRET, type: 'payment_intent.succeeded', object: capturedIntent });
  };
  return { ...checkout, intentId: intent.id as string, authorized, capture };
}

async function finalState(c: { collectionId: string; sessionId: string; cartId: string }) {
  await app.payments.worker!.whenIdle();
  const [payment] = await app.payments.service.listPayments({ payment_session_id: c.sessionId });
  return {
    collection: (await app.payments.service.retrievePaymentCollection(c.collectionId)).status,
    payments: (await app.payments.service.listPayments({ payment_session_id: c.sessionId })).length,
    captures: payment?.captures.map((x) => `${x.amount}:${x.source}`),
    orders: await app.carts.countOrders(c.cartId),
  };
}

const EXPECTED = (amount: string) => ({
  collection: 'completed',
  payments: 1,
  captures: [`${normalizeAmount(amount)}:provider`],
  orders: 1,
});

describe('Stripe, end to end through the HTTP route', () => {
  it('amount_capturable_updated then succeeded: authorized, captured, cart completed once', async () => {
    const c = await cardCheckout('49.99');
    expect((await send(route(), c.authorized)).status).toBe(200);
    await eventually(async () =>
      expect((await app.payments.service.retrievePaymentCollection(c.collectionId)).status).toBe('authorized'),
    );
    // The cart is completed right after the authorization commits, in the same run.
    await eventually(async () => expect((await app.carts.retrieveCart(c.cartId))?.order_id).toBeTruthy());
    expect((await send(route(), c.capture())).status).toBe(200);
    await eventually(async () => expect(await finalState(c)).toEqual(EXPECTED('49.99')));
    // Tender recorded Stripe's capture; it never asked Stripe to capture again.
    expect(emulator.requests.filter((r) => r.path.endsWith('/capture'))).toEqual([]);
  });

  it('the same events delivered twice give the same final state', async () => {
    const c = await cardCheckout('12.34');
    const captured = c.capture();
    for (const delivery of [c.authorized, captured, c.authorized, captured]) {
      const response = await send(route(), delivery);
      expect(response.status).toBe(200);
    }
    await eventually(async () => expect(await finalState(c)).toEqual(EXPECTED('12.34')));
    const rows = (await app.payments.webhooks.list({ provider: 'stripe_stripe' })).filter((r) =>
      [c.authorized.event.id, captured.event.id].includes(r.event_id),
    );
    expect(rows).toHaveLength(2);
  });

  it('the events in reverse order give the same final state', async () => {
    const c = await cardCheckout('7.50');
    expect((await send(route(), c.capture())).status).toBe(200);
    await eventually(async () =>
      expect((await app.payments.service.retrievePaymentCollection(c.collectionId)).status).toBe('completed'),
    );
    expect((await send(route(), c.authorized)).status).toBe(200);
    await eventually(async () => expect(await finalState(c)).toEqual(EXPECTED('7.50')));
  });

  it('a forged Stripe-Signature is refused with 401 and stores nothing', async () => {
    const c = await cardCheckout('1.00');
    const forged = createStripeWebhook({
      secret: 'whsec_not_the_endpoint_secret',
      type: 'payment_intent.succeeded',
      object: emulator.paymentIntent(c.intentId),
    });
    const before = (await app.payments.webhooks.list({})).length;
    expect((await send(route(), forged)).status).toBe(401);
    expect((await app.payments.webhooks.list({})).length).toBe(before);
  });
});
