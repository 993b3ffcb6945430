import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EasypayPaymentProvider } from '@tender/provider-easypay';
import { type EasypayEmulator, notificationForPayment, startEasypayEmulator } from '@tender/provider-easypay/testing';
import { HmacPaymentProvider } from '@tender/provider-hmac';
import { createHmacWebhook } from '@tender/provider-hmac/testing';
import { IfthenpayPaymentProvider } from '@tender/provider-ifthenpay';
import { type IfthenpayEmulator, startIfthenpayEmulator } from '@tender/provider-ifthenpay/testing';
import { eventually, send, startTestApp, type TestApp } from '../support/app.js';

async function completed(app: TestApp, c: { collectionId: string; cartId: string }) {
  await eventually(async () => {
    expect((await app.payments.service.retrievePaymentCollection(c.collectionId)).status).toBe('completed');
    expect(await app.carts.countOrders(c.cartId)).toBe(1);
  });
}

describe('HMAC gateway, end to end', () => {
  const SECRET = 'acme-gateway-signing-secret';
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      adapter: 'fastify',
      providers: [{ resolve: HmacPaymentProvider, id: 'acme', options: { secrets: [SECRET] } }],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('payment.completed signed with X-Signature completes the cart once; tampering and a wrong secret are refused', async () => {
    const c = await app.checkout('15.00', 'pp_hmac_acme', 'eur');
    const event = { id: 'evt_acme_1', type: 'payment.completed', session_id: c.sessionId, amount: '15.00', currency: 'EUR' };
    const delivery = createHmacWebhook({ secret: SECRET, event });
    const route = `${app.url}/hooks/payment/hmac_acme`;
    const tampered = { ...delivery, rawBody: Buffer.from(delivery.rawBody.toString().replace('15.00', '1.00')) };
    expect((await send(route, tampered)).status).toBe(401);
    expect((await send(route, createHmacWebhook({ secret: 'wrong-secret-wrong', event }))).status).toBe(401);
    expect((await send(route, delivery)).status).toBe(200);
    expect((await send(route, delivery)).body.outcome).toBe('duplicate');
    await completed(app, c);
  });
});

describe('Easypay, end to end', () => {
  const WEBHOOK_SECRET = 'easypay-notification-secret';
  let emulator: EasypayEmulator;
  let app: TestApp;
  beforeAll(async () => {
    emulator = await startEasypayEmulator();
    app = await startTestApp({
      adapter: 'node',
      providers: [
        {
          resolve: EasypayPaymentProvider,
          id: 'mb',
          options: {
            accountId: emulator.accountId,
            apiKey: emulator.apiKey,
            apiBaseUrl: emulator.baseUrl,
            webhookSecret: WEBHOOK_SECRET,
            method: 'mb',
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });

  it('a Multibanco payment notified as captured is verified against the API and completes the cart', async () => {
    const c = await app.checkout('23.45', 'pp_easypay_mb', 'eur');
    const session = await app.payments.service.retrievePaymentSession(c.sessionId);
    const paymentId = session.data.id as string;
    const route = `${app.url}/hooks/payment/easypay_mb`;

    // A notification claiming success while Easypay still shows the reference unpaid is not applied.
    const early = notificationForPayment(emulator.setStatus(paymentId, 'paid'), { secret: WEBHOOK_SECRET });
    emulator.setStatus(paymentId, 'pending');
    expect((await send(route, early)).status).toBe(503);

    const paid = notificationForPayment(emulator.setStatus(paymentId, 'paid'), { secret: WEBHOOK_SECRET });
    expect((await send(route, { ...paid, headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await send(route, paid)).status).toBe(200);
    await completed(app, c);
  });
});

describe('Ifthenpay, end to end', () => {
  let emulator: IfthenpayEmulator;
  let app: TestApp;
  beforeAll(async () => {
    emulator = await startIfthenpayEmulator();
    app = await startTestApp({
      adapter: 'fetch',
      providers: [
        {
          resolve: IfthenpayPaymentProvider,
          id: 'multibanco',
          options: {
            antiPhishingKey: emulator.antiPhishingKey,
            mbKey: emulator.mbKey,
            apiBaseUrl: emulator.baseUrl,
            method: 'multibanco',
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });

  it('a GET callback with the anti-phishing key and the right amount completes the cart once', async () => {
    const c = await app.checkout('30.00', 'pp_ifthenpay_multibanco', 'eur');
    const session = await app.payments.service.retrievePaymentSession(c.sessionId);
    const callback = emulator.pay(session.data.id as string);
    expect(callback.method).toBe('GET');
    const route = `${app.url}/hooks/payment/ifthenpay_multibanco`;

    expect((await send(route, { ...callback, query: { ...callback.query, key: 'not-the-key' } })).status).toBe(401);
    const wrongAmount = Object.fromEntries(
      Object.entries(callback.query).map(([k, v]) => [k, k === 'amount' || k === 'valor' ? '3.00' : v]),
    );
    expect((await send(route, { ...callback, query: wrongAmount })).status).toBe(400);
    expect(await app.payments.webhooks.list({})).toHaveLength(0);

    expect((await send(route, callback)).status).toBe(200);
    expect((await send(route, callback)).body.outcome).toBe('duplicate');
    await completed(app, c);
  });
});
