import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { normalizeAmount } from '@tender/core';
import { HmacPaymentProvider } from '@tender/provider-hmac';
import { createHmacWebhook } from '@tender/provider-hmac/testing';
import { IfthenpayPaymentProvider } from '@tender/provider-ifthenpay';
import { type IfthenpayEmulator, startIfthenpayEmulator } from '@tender/provider-ifthenpay/testing';
import { StripeProvider } from '@tender/provider-stripe';
import {
  createStripeWebhook,
  type StripeEmulator,
  startStripeEmulator,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
} from '@tender/provider-stripe/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { eventually, SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';

// What a verified webhook may change, attacked through the real HTTP route with every kind of provider
// configured side by side: a signature proves the sender, not that the session is the sender's to pay.

const HMAC_SECRET = 'acme-gateway-signing-secret';
let stripe: StripeEmulator;
let ifthenpay: IfthenpayEmulator;
let app: TestApp;

beforeAll(async () => {
  stripe = await startStripeEmulator();
  ifthenpay = await startIfthenpayEmulator();
  app = await startTestApp({
    providers: [
      { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SYSTEM_SECRET] } },
      {
        resolve: StripeProvider,
        id: 'stripe',
        options: { apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, ...stripe.options },
      },
      { resolve: HmacPaymentProvider, id: 'acme', options: { secrets: [HMAC_SECRET] } },
      {
        resolve: IfthenpayPaymentProvider,
        id: 'multibanco',
        options: {
          antiPhishingKey: ifthenpay.antiPhishingKey,
          mbKey: ifthenpay.mbKey,
          apiBaseUrl: ifthenpay.baseUrl,
          method: 'multibanco',
        },
      },
    ],
    // Contradicted events are retried quickly here, so the test sees them rejected in seconds.
    module: { worker: { baseDelayMs: 20, maxDelayMs: 50, pollIntervalMs: 20 } },
  });
});
afterAll(async () => {
  await app?.close();
  await stripe?.close();
  await ifthenpay?.close();
});

const route = (name: string) => `${app.url}/hooks/payment/${name}`;

/** The inbox row of a delivered event once the worker is done with it. */
async function settledRow(eventId: string, statuses = ['processed', 'ignored', 'rejected', 'dead']) {
  return eventually(async () => {
    const row = (await app.payments.webhooks.list({})).find((e) => e.event_id === eventId);
    expect(statuses).toContain(row?.status);
    return row!;
  }, 30_000);
}

async function untouched(c: { collectionId: string; sessionId: string; cartId: string }, status = 'awaiting') {
  await app.payments.worker!.whenIdle();
  expect((await app.payments.service.retrievePaymentCollection(c.collectionId)).status).toBe(status);
  expect(await app.payments.service.listPayments({ payment_session_id: c.sessionId })).toHaveLength(0);
  expect(await app.carts.countOrders(c.cartId)).toBe(0);
}

async function moneyOf(c: { collectionId: string; sessionId: string; cartId: string }) {
  await app.payments.worker!.whenIdle();
  const collection = await app.payments.service.retrievePaymentCollection(c.collectionId);
  const [payment] = await app.payments.service.listPayments({ payment_session_id: c.sessionId });
  return {
    collection: collection.status,
    authorized: collection.authorized_amount,
    captured: collection.captured_amount,
    payment: payment && { amount: payment.amount, captured: payment.captured_amount },
    orders: await app.carts.countOrders(c.cartId),
  };
}

/** A Stripe checkout whose PaymentIntent the buyer has not paid. */
async function stripeCheckout(amount = '50.00') {
  const c = await app.checkout(amount, 'pp_stripe_stripe', 'usd');
  const intent = stripe.paymentIntentForSession(c.sessionId)!;
  return { ...c, intentId: intent.id as string };
}

describe('a webhook acts only on its own provider’s sessions', () => {
  it('an Ifthenpay callback naming a Stripe session changes nothing there', async () => {
    const c = await stripeCheckout('42.00');
    // The attacker pays nothing: a callback with the Multibanco key and the Stripe session id as orderId.
    const forged = {
      method: 'GET' as const,
      headers: {},
      rawBody: Buffer.alloc(0),
      query: { key: ifthenpay.antiPhishingKey, orderId: c.sessionId, amount: '42.00', entity: '12345', reference: '999999999' },
    };
    expect((await send(route('ifthenpay_multibanco'), forged)).status).toBe(200);
    const row = await settledRow('multibanco:paid:12345:999999999');
    expect(row.status).toBe('ignored');
    expect(row.result).toMatchObject({ reason: expect.stringContaining('belongs to provider pp_stripe_stripe') });
    await untouched(c);
    expect(stripe.paymentIntent(c.intentId).status).toBe('requires_payment_method');
    expect(app.payments.metrics.snapshot().foreign).toBeGreaterThan(0);
  });

  it('a system webhook can neither capture, fail nor refund an HMAC or Stripe session', async () => {
    const hmac = await app.checkout('20.00', 'pp_hmac_acme', 'eur');
    const captured = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: hmac.sessionId,
      amount: '20.00',
    });
    expect((await send(route('system_default'), captured)).status).toBe(200);
    expect((await settledRow(captured.id)).status).toBe('ignored');
    await untouched(hmac);

    const s = await stripeCheckout('30.00');
    for (const type of ['payment.failed', 'payment.refunded'] as const) {
      const event = createSystemWebhook({ secret: SYSTEM_SECRET, type, session_id: s.sessionId, amount: '30.00' });
      expect((await send(route('system_default'), event)).status).toBe(200);
      expect((await settledRow(event.id)).status).toBe('ignored');
    }
    expect((await app.payments.service.retrievePaymentSession(s.sessionId)).status).toBe('pending');
    await untouched(s);
  });

  it('an HMAC webhook reporting 0.01 cannot pay a Stripe session', async () => {
    const c = await stripeCheckout('50.00');
    const delivery = createHmacWebhook({
      secret: HMAC_SECRET,
      event: { id: 'evt_cross_hmac', type: 'payment.completed', session_id: c.sessionId, amount: '0.01', currency: 'USD' },
    });
    expect((await send(route('hmac_acme'), delivery)).status).toBe(200);
    expect((await settledRow('evt_cross_hmac')).status).toBe('ignored');
    await untouched(c);
  });
});

describe('where the provider has no status call, the webhook decides only for what it proves', () => {
  it('an EUR webhook does not pay a USD session', async () => {
    const c = await app.checkout('10.00', 'pp_system_default', 'usd');
    const event = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: c.sessionId,
      amount: '10.00',
      currency_code: 'eur',
    });
    expect((await send(route('system_default'), event)).status).toBe(200);
    const row = await settledRow(event.id);
    expect(row.status).toBe('ignored');
    expect(row.result).toMatchObject({ reason: 'the event is in eur, the session in usd' });
    await untouched(c);
  });

  it('a capture of 0.01 on a 50.00 session records 0.01 and completes no order', async () => {
    const c = await app.checkout('50.00', 'pp_hmac_acme', 'eur');
    const delivery = createHmacWebhook({
      secret: HMAC_SECRET,
      event: { id: 'evt_tiny', type: 'payment.completed', session_id: c.sessionId, amount: '0.01', currency: 'EUR' },
    });
    expect((await send(route('hmac_acme'), delivery)).status).toBe(200);
    await settledRow('evt_tiny');
    expect(await moneyOf(c)).toEqual({
      collection: 'partially_captured',
      authorized: normalizeAmount('0.01'),
      captured: normalizeAmount('0.01'),
      payment: { amount: normalizeAmount('0.01'), captured: normalizeAmount('0.01') },
      orders: 0,
    });
  });

  it('a capture that arrives before its authorization ends with the same amounts as the other order', async () => {
    const runs = [];
    for (const order of [
      ['authorized', 'captured'],
      ['captured', 'authorized'],
    ] as const) {
      const c = await app.checkout('50.00', 'pp_system_default', 'usd');
      for (const type of order) {
        const event = createSystemWebhook({
          secret: SYSTEM_SECRET,
          type: type === 'authorized' ? 'payment.authorized' : 'payment.captured',
          session_id: c.sessionId,
          amount: type === 'authorized' ? '50.00' : '10.00',
          currency_code: 'usd',
        });
        expect((await send(route('system_default'), event)).status).toBe(200);
        await settledRow(event.id);
      }
      runs.push(await moneyOf(c));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]).toMatchObject({
      collection: 'partially_captured',
      payment: { amount: normalizeAmount('50.00'), captured: normalizeAmount('10.00') },
      orders: 1,
    });
  });
});

describe('where the provider can be asked, its own status decides', () => {
  it('a signed Stripe event about another PaymentIntent does not authorize the session', async () => {
    const c = await stripeCheckout('25.00');
    // A real, validly signed event, for a PaymentIntent that is not the session's own.
    const other = await stripeCheckout('25.00');
    const otherIntent = stripe.setPaymentIntentStatus(other.intentId, 'requires_capture', {
      metadata: { session_id: c.sessionId },
    });
    const event = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.amount_capturable_updated',
      object: otherIntent,
    });
    expect((await send(route('stripe_stripe'), event)).status).toBe(200);
    const row = await settledRow(event.event.id);
    expect(row.status).toBe('ignored');
    expect(row.result).toMatchObject({ reason: expect.stringContaining(`not the session's payment ${c.intentId}`) });
    await untouched(c);
  });

  it('an event Stripe’s own status contradicts is retried, then rejected, never applied', async () => {
    const c = await stripeCheckout('25.00');
    // The event says authorized; the PaymentIntent itself stays unpaid at Stripe.
    const claimed = { ...stripe.paymentIntent(c.intentId), status: 'requires_capture', amount_capturable: 2500 };
    const event = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.amount_capturable_updated',
      object: claimed,
    });
    expect((await send(route('stripe_stripe'), event)).status).toBe(200);
    const row = await settledRow(event.event.id, ['rejected', 'dead']);
    expect(row.status).toBe('rejected');
    expect(row.attempts).toBeGreaterThanOrEqual(5);
    await untouched(c);
    expect(app.payments.metrics.snapshot().contradicted).toBeGreaterThan(0);
  });

  it('a partial capture records what Stripe captured, whichever event comes first', async () => {
    const runs = [];
    for (const succeededFirst of [false, true]) {
      const c = await stripeCheckout('50.00');
      const authorized = createStripeWebhook({
        secret: TEST_WEBHOOK_SECRET,
        type: 'payment_intent.amount_capturable_updated',
        object: stripe.setPaymentIntentStatus(c.intentId, 'requires_capture'),
      });
      // The merchant captured 10.00 of 50.00 in Stripe's dashboard: the rest is released.
      const succeeded = createStripeWebhook({
        secret: TEST_WEBHOOK_SECRET,
        type: 'payment_intent.succeeded',
        object: stripe.setPaymentIntentStatus(c.intentId, 'succeeded', { amount_received: 1000, amount_capturable: 0 }),
      });
      for (const event of succeededFirst ? [succeeded, authorized] : [authorized, succeeded]) {
        expect((await send(route('stripe_stripe'), event)).status).toBe(200);
        await settledRow(event.event.id);
      }
      runs.push(await moneyOf(c));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]).toMatchObject({
      collection: 'partially_captured',
      payment: { amount: normalizeAmount('50.00'), captured: normalizeAmount('10.00') },
    });
  });
});
