import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { STRIPE_API_VERSION, StripeIdealProvider, StripeProvider } from '@tender/provider-stripe';
import { type StripeEmulator, startStripeEmulator, TEST_PAYMENT_METHODS } from '@tender/provider-stripe/testing';
import { sessionId } from '@tender/provider-testkit';
import { lastRequest, providerFor } from './support.js';

let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('initiatePayment', () => {
  it('creates a PaymentIntent carrying the session id, exact minor units and the caller idempotency key', async () => {
    const provider = providerFor(emulator, { paymentDescription: 'Order at Tender shop' });
    const session = sessionId();
    const result = await provider.initiatePayment({
      amount: '10.50',
      currency_code: 'EUR',
      session_id: session,
      data: { metadata: { cart_id: 'cart_1', session_id: 'spoofed' } },
      context: { idempotency_key: `initiate-${session}` },
    });

    expect(result.id).toMatch(/^pi_/);
    expect(result.status).toBe('pending');
    const stored = emulator.paymentIntent(result.id);
    expect(stored).toMatchObject({
      amount: 1050,
      currency: 'eur',
      capture_method: 'manual',
      description: 'Order at Tender shop',
      metadata: { cart_id: 'cart_1', session_id: session },
      allowed_payment_method_types: ['card'],
    });
    const request = lastRequest(emulator, 'POST', /^\/v1\/payment_intents$/);
    expect(request.idempotencyKey).toBe(`initiate-${session}`);
    expect(request.stripeVersion).toBe(STRIPE_API_VERSION);
    expect(result.data?.client_secret).toEqual(stored.client_secret);
  });

  it('derives the idempotency key from the session, so a retried initiate creates one PaymentIntent', async () => {
    const provider = providerFor(emulator);
    const session = sessionId();
    const first = await provider.initiatePayment({ amount: '20', currency_code: 'usd', session_id: session });
    const second = await provider.initiatePayment({ amount: '20', currency_code: 'usd', session_id: session });
    expect(second.id).toBe(first.id);
    const creates = emulator.requests.filter((r) => r.path === '/v1/payment_intents');
    expect(creates.map((r) => r.idempotencyKey)).toEqual([`tender:initiate:${session}`, `tender:initiate:${session}`]);
    expect(creates.map((r) => r.replayed)).toEqual([false, true]);
  });

  it('refuses an amount with more decimals than the currency has before calling Stripe', async () => {
    const provider = providerFor(emulator);
    await expect(
      provider.initiatePayment({ amount: '10.505', currency_code: 'eur', session_id: sessionId() }),
    ).rejects.toMatchObject({
      type: 'invalid_data',
    });
    await expect(
      provider.initiatePayment({ amount: '100.5', currency_code: 'jpy', session_id: sessionId() }),
    ).rejects.toMatchObject({
      type: 'invalid_data',
    });
    expect(emulator.requests).toHaveLength(0);
  });

  it('converts zero- and three-decimal currencies exactly', async () => {
    const provider = providerFor(emulator);
    const jpy = await provider.initiatePayment({ amount: '5000', currency_code: 'JPY', session_id: sessionId() });
    const kwd = await provider.initiatePayment({ amount: '12.345', currency_code: 'KWD', session_id: sessionId() });
    expect(emulator.paymentIntent(jpy.id).amount).toBe(5000);
    expect(emulator.paymentIntent(kwd.id).amount).toBe(12345);
  });

  it('captures automatically with capture: true, and offers every dashboard method with automaticPaymentMethods', async () => {
    const provider = providerFor(emulator, { capture: true, automaticPaymentMethods: true });
    const { id } = await provider.initiatePayment({ amount: '5', currency_code: 'usd', session_id: sessionId() });
    expect(emulator.paymentIntent(id)).toMatchObject({
      capture_method: 'automatic',
      automatic_payment_methods: { enabled: true },
    });
  });

  it('uses the account holder as the Stripe customer', async () => {
    const provider = providerFor(emulator);
    const holder = await provider.createAccountHolder({ context: { customer: { id: 'cus_tender_1', email: 'a@example.com' } } });
    const { id } = await provider.initiatePayment({
      amount: '5',
      currency_code: 'usd',
      session_id: sessionId(),
      context: { account_holder: { id: holder.id, data: holder.data ?? {} } },
    });
    expect(emulator.paymentIntent(id).customer).toBe(holder.id);
  });

  it('sends the variant payment method type and always captures for redirect methods', async () => {
    const provider = providerFor(emulator, { capture: false }, StripeIdealProvider);
    const { id } = await provider.initiatePayment({ amount: '15', currency_code: 'eur', session_id: sessionId() });
    expect(emulator.paymentIntent(id)).toMatchObject({ allowed_payment_method_types: ['ideal'], capture_method: 'automatic' });
  });

  it('sends requests through the fetch dependency when one is given', async () => {
    let calls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const provider = providerFor(emulator, {}, StripeProvider, { fetch: countingFetch });
    const { id } = await provider.initiatePayment({ amount: '1', currency_code: 'usd', session_id: sessionId() });
    expect(id).toMatch(/^pi_/);
    expect(calls).toBe(1);
  });
});

describe('updatePayment', () => {
  it('updates amount and currency on Stripe, and skips the call when nothing changed', async () => {
    const provider = providerFor(emulator);
    const created = await provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() });
    const updated = await provider.updatePayment({
      amount: '1250',
      currency_code: 'JPY',
      data: created.data ?? {},
      context: { idempotency_key: 'update-1' },
    });
    expect(emulator.paymentIntent(created.id)).toMatchObject({ amount: 1250, currency: 'jpy' });
    expect(lastRequest(emulator, 'POST', /^\/v1\/payment_intents\/pi_[^/]+$/).idempotencyKey).toBe('update-1');
    const before = emulator.requests.length;
    const unchanged = await provider.updatePayment({ amount: '1250', currency_code: 'jpy', data: updated.data ?? {} });
    expect(unchanged.data).toBe(updated.data);
    expect(emulator.requests).toHaveLength(before);
  });

  it('reports a PaymentIntent that can no longer change as not_allowed', async () => {
    const provider = providerFor(emulator);
    const created = await provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() });
    emulator.setPaymentIntentStatus(created.id, 'succeeded');
    await expect(provider.updatePayment({ amount: '11', currency_code: 'usd', data: created.data ?? {} })).rejects.toMatchObject({
      type: 'not_allowed',
    });
  });
});

describe('authorize, retrieve, capture, refund, cancel', () => {
  async function authorized(amount: string, currency: string) {
    const provider = providerFor(emulator);
    const created = await provider.initiatePayment({ amount, currency_code: currency, session_id: sessionId() });
    emulator.setPaymentIntentStatus(created.id, 'requires_capture');
    return { provider, created, data: created.data ?? {} };
  }

  it('authorizePayment reads the PaymentIntent status from Stripe', async () => {
    const { provider, created, data } = await authorized('10', 'usd');
    const result = await provider.authorizePayment({ data });
    expect(result.status).toBe('authorized');
    expect(result.data?.id).toBe(created.id);
    expect(result.data?.amount_capturable).toBe(1000);
  });

  it('retrievePayment returns the current PaymentIntent', async () => {
    const { provider, created, data } = await authorized('10', 'usd');
    const result = await provider.retrievePayment({ data });
    expect(result.data).toMatchObject({ id: created.id, status: 'requires_capture' });
  });

  it('captures the full amount with the caller idempotency key', async () => {
    const { provider, created, data } = await authorized('10.50', 'eur');
    const result = await provider.capturePayment({ data, context: { idempotency_key: 'capture:pay_1:1' } });
    expect(result.data).toMatchObject({ status: 'succeeded', amount_received: 1050 });
    const request = lastRequest(emulator, 'POST', /\/capture$/);
    expect(request.idempotencyKey).toBe('capture:pay_1:1');
    expect(request.params).toEqual({});
    expect(emulator.paymentIntent(created.id).status).toBe('succeeded');
  });

  it.each([
    ['eur', '10.50', '7.25', '725'],
    ['jpy', '5000', '3000', '3000'],
    ['kwd', '12.345', '10.005', '10005'],
  ])('partial capture in %s sends amount_to_capture in exact minor units', async (currency, amount, capture, minor) => {
    const { provider, created, data } = await authorized(amount, currency);
    await provider.capturePayment({ data, amount: capture, currency_code: currency });
    expect(lastRequest(emulator, 'POST', /\/capture$/).params).toEqual({ amount_to_capture: minor });
    expect(emulator.paymentIntent(created.id).amount_received).toBe(Number(minor));
  });

  it('treats "already captured" as success', async () => {
    const { provider, created, data } = await authorized('10', 'usd');
    await provider.capturePayment({ data, context: { idempotency_key: 'capture-a' } });
    const again = await provider.capturePayment({ data, context: { idempotency_key: 'capture-b' } });
    expect(again.data).toMatchObject({ id: created.id, status: 'succeeded' });
    // The second capture really reached Stripe and was refused; the provider recognised the refusal.
    expect(lastRequest(emulator, 'POST', /\/capture$/).status).toBe(400);
  });

  it('does not hide a capture Stripe refuses for another reason', async () => {
    const { provider, created, data } = await authorized('10', 'usd');
    emulator.setPaymentIntentStatus(created.id, 'canceled');
    await expect(provider.capturePayment({ data })).rejects.toMatchObject({ type: 'not_allowed' });
    await expect(provider.capturePayment({ data, amount: '11', currency_code: 'usd' })).rejects.toBeInstanceOf(TenderError);
  });

  it('refunds part of a captured payment, then the rest, then treats "already refunded" as success', async () => {
    const { provider, created, data } = await authorized('10.50', 'eur');
    await provider.capturePayment({ data });
    const first = await provider.refundPayment({
      data,
      amount: '0.50',
      currency_code: 'eur',
      context: { idempotency_key: 'refund-1' },
    });
    expect(first.data?.latest_refund).toMatchObject({ amount: 50, status: 'succeeded', payment_intent: created.id });
    expect(lastRequest(emulator, 'POST', /^\/v1\/refunds$/)).toMatchObject({
      idempotencyKey: 'refund-1',
      params: { payment_intent: created.id, amount: '50' },
    });
    await provider.refundPayment({ data, amount: '10', currency_code: 'eur', context: { idempotency_key: 'refund-2' } });
    const charge = emulator.charge(emulator.paymentIntent(created.id).latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 1050, refunded: true });

    const again = await provider.refundPayment({
      data,
      amount: '1',
      currency_code: 'eur',
      context: { idempotency_key: 'refund-3' },
    });
    expect(again.data).toEqual(data);
    expect(lastRequest(emulator, 'POST', /^\/v1\/refunds$/).status).toBe(400);
  });

  it('refuses to refund more than was captured', async () => {
    const { provider, data } = await authorized('10', 'usd');
    await provider.capturePayment({ data, amount: '4', currency_code: 'usd' });
    await expect(provider.refundPayment({ data, amount: '5', currency_code: 'usd' })).rejects.toMatchObject({
      type: 'invalid_data',
      details: { stripe_code: 'amount_too_large' },
    });
  });

  it('cancels, and treats "already canceled" as success', async () => {
    const { provider, created, data } = await authorized('10', 'usd');
    const canceled = await provider.cancelPayment({ data, context: { idempotency_key: 'cancel-a' } });
    expect(canceled.data).toMatchObject({ id: created.id, status: 'canceled' });
    expect(lastRequest(emulator, 'POST', /\/cancel$/).idempotencyKey).toBe('cancel-a');
    const again = await provider.cancelPayment({ data, context: { idempotency_key: 'cancel-b' } });
    expect(again.data).toMatchObject({ status: 'canceled' });
    expect(lastRequest(emulator, 'POST', /\/cancel$/).status).toBe(400);
  });

  it('refuses to cancel a captured payment', async () => {
    const { provider, data } = await authorized('10', 'usd');
    await provider.capturePayment({ data });
    await expect(provider.cancelPayment({ data })).rejects.toMatchObject({ type: 'not_allowed' });
  });

  it('deletePayment cancels the PaymentIntent; a session that never reached Stripe has nothing to cancel', async () => {
    const { provider, created, data } = await authorized('10', 'usd');
    await provider.deletePayment({ data });
    expect(emulator.paymentIntent(created.id).status).toBe('canceled');
    const before = emulator.requests.length;
    await expect(provider.cancelPayment({ data: {} })).resolves.toEqual({ data: {} });
    expect(emulator.requests).toHaveLength(before);
  });

  it('a card payment confirmed with a test card moves through Stripe and is captured', async () => {
    const provider = providerFor(emulator);
    const created = await provider.initiatePayment({
      amount: '42',
      currency_code: 'usd',
      session_id: sessionId(),
      data: { payment_method: TEST_PAYMENT_METHODS.succeeds },
    });
    expect(created.status).toBe('pending');
    // The storefront confirms with Stripe.js; here the SDK plays that part against the same emulator.
    const { default: Stripe } = await import('stripe');
    const client = new Stripe('sk_test_storefront', { host: '127.0.0.1', port: emulator.options.apiPort, protocol: 'http' });
    await client.paymentIntents.confirm(created.id);
    expect((await provider.authorizePayment({ data: created.data ?? {} })).status).toBe('authorized');
    await provider.capturePayment({ data: created.data ?? {} });
    expect((await provider.getPaymentStatus({ data: created.data ?? {} })).status).toBe('captured');
  });

  it('names the missing PaymentIntent id clearly', async () => {
    const provider = providerFor(emulator);
    await expect(provider.capturePayment({ data: {} })).rejects.toThrow(/PaymentIntent id/);
    await expect(provider.getPaymentStatus({ data: { id: 'pi_doesnotexist' } })).rejects.toMatchObject({ type: 'not_found' });
  });
});
