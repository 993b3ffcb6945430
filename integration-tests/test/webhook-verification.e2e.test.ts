import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
import { SYSTEM_SECRET, send, startTestApp, type TestApp, tableCounts } from '../support/app.js';

/**
 * A verified webhook whose amount is not a positive, well-formed amount of its currency is refused at the
 * route (4xx), so nothing is stored and no session moves: real PostgreSQL, a real HTTP server, every
 * provider whose webhook carries the amount itself.
 */
const HMAC_SECRET = 'amounts-hmac-gateway-secret';
let emulator: IfthenpayEmulator;
let stripe: StripeEmulator;
let app: TestApp;

beforeAll(async () => {
  emulator = await startIfthenpayEmulator();
  stripe = await startStripeEmulator();
  app = await startTestApp({
    providers: [
      { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SYSTEM_SECRET] } },
      { resolve: HmacPaymentProvider, id: 'acme', options: { secrets: [HMAC_SECRET] } },
      {
        resolve: IfthenpayPaymentProvider,
        id: 'multibanco',
        options: { antiPhishingKey: emulator.antiPhishingKey, mbKey: emulator.mbKey, apiBaseUrl: emulator.baseUrl },
      },
      {
        resolve: StripeProvider,
        id: 'stripe',
        options: { apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, maxRetries: 0, ...stripe.options },
      },
    ],
  });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
  await stripe?.close();
});

async function expectRefusedAndNothingStored(route: string, delivery: Parameters<typeof send>[1], sessionId: string) {
  const before = await tableCounts(app.payments);
  const response = await send(route, delivery);
  expect(response.status).toBe(400);
  expect(response.body.error.type).toBe('invalid_data');
  expect(await tableCounts(app.payments)).toEqual(before);
  expect((await app.payments.service.retrievePaymentSession(sessionId)).status).toBe('pending');
  return response;
}

describe('non-positive or malformed webhook amounts are refused with 400 and leave no state', () => {
  it.each(['-10.00', '0.00', '1e3', '10.001'])('system payment.captured of %s', async (amount) => {
    const c = await app.checkout('10.00', 'pp_system_default', 'eur');
    const delivery = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: c.sessionId,
      amount,
      currency_code: 'eur',
    });
    await expectRefusedAndNothingStored(`${app.url}/hooks/payment/system_default`, delivery, c.sessionId);
  });

  it('an HMAC payment.completed of 0.00', async () => {
    const c = await app.checkout('15.00', 'pp_hmac_acme', 'eur');
    const event = { type: 'payment.completed', session_id: c.sessionId, amount: '0.00', currency: 'EUR' };
    const response = await expectRefusedAndNothingStored(
      `${app.url}/hooks/payment/hmac_acme`,
      createHmacWebhook({ secret: HMAC_SECRET, event }),
      c.sessionId,
    );
    expect(response.body.error.message).toMatch(/greater than zero/);
  });

  it.each(['57.350', '57,350'])('an Ifthenpay callback of %s for a 57.35 session, as its README says', async (amount) => {
    const c = await app.checkout('57.35', 'pp_ifthenpay_multibanco', 'eur');
    const session = await app.payments.service.retrievePaymentSession(c.sessionId);
    const callback = emulator.pay(session.data.id as string);
    const query = { ...callback.query, amount };
    const response = await expectRefusedAndNothingStored(
      `${app.url}/hooks/payment/ifthenpay_multibanco`,
      { ...callback, query },
      c.sessionId,
    );
    expect(response.body.error.message).toMatch(/at most two decimals/);
    // The same callback with the amount as Ifthenpay writes it is taken.
    expect((await send(`${app.url}/hooks/payment/ifthenpay_multibanco`, callback)).status).toBe(200);
    // Let the worker apply it now, so its rows cannot land inside the next test's before/after counts.
    await app.payments.worker!.whenIdle();
  });
});

describe('Stripe signatures dated beyond the tolerance in the future', () => {
  it('are refused with 401 and store nothing, while one a minute ahead (clock skew) is taken', async () => {
    const c = await app.checkout('10.50', 'pp_stripe_stripe', 'eur');
    const object = {
      id: 'pi_future_dated',
      amount: 1050,
      amount_received: 1050,
      currency: 'eur',
      metadata: { session_id: c.sessionId },
    };
    const route = `${app.url}/hooks/payment/stripe_stripe`;
    const before = await tableCounts(app.payments);
    // 330 s: past the 300 s tolerance with room for a slow machine, since the clock moves on between signing here
    // and verifying in the server.
    for (const ahead of [10 * 365 * 24 * 3600, 330]) {
      const delivery = createStripeWebhook({
        secret: TEST_WEBHOOK_SECRET,
        type: 'payment_intent.succeeded',
        object,
        timestamp: Math.floor(Date.now() / 1000) + ahead,
      });
      const response = await send(route, delivery);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/in the future/);
    }
    expect(await tableCounts(app.payments)).toEqual(before);
    const skewed = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.succeeded',
      object,
      timestamp: Math.floor(Date.now() / 1000) + 60,
    });
    expect((await send(route, skewed)).status).toBe(200);
    await app.payments.worker!.whenIdle();
  });
});
