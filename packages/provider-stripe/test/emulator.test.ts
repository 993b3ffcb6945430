import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type StripeEmulator, startStripeEmulator, TEST_API_KEY, TEST_PAYMENT_METHODS } from '@tender/provider-stripe/testing';
import Stripe from 'stripe';

// The emulator is what every Stripe test trusts, so its own behaviour is checked through the real SDK.
let emulator: StripeEmulator;
let stripe: Stripe;
beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = new Stripe(TEST_API_KEY, {
    host: emulator.options.apiHost,
    port: emulator.options.apiPort,
    protocol: emulator.options.apiProtocol,
    maxNetworkRetries: 0,
  });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('Stripe emulator', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(emulator.options.apiHost).toBe('127.0.0.1');
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.options.apiPort}`);
  });

  it('replays the response for a reused idempotency key and refuses the key with other parameters', async () => {
    const first = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' }, { idempotencyKey: 'k1' });
    const again = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' }, { idempotencyKey: 'k1' });
    expect(again.id).toBe(first.id);
    await expect(stripe.paymentIntents.create({ amount: 200, currency: 'usd' }, { idempotencyKey: 'k1' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('answers with Stripe-shaped errors', async () => {
    const missing = await stripe.paymentIntents.retrieve('pi_missing').catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing', statusCode: 404 });

    const unknown = await stripe.paymentIntents
      .create({ amount: 100, currency: 'usd', payment_method_types: ['card'] } as never)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'payment_method_types' });

    const intent = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const capture = await stripe.paymentIntents.capture(intent.id).catch((e: unknown) => e);
    expect(capture).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect((capture as { payment_intent: { status: string } }).payment_intent.status).toBe('requires_payment_method');

    const badKey = new Stripe('sk_bogus', {
      host: '127.0.0.1',
      port: emulator.options.apiPort,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(badKey.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('declines the declining test card with a card error and records last_payment_error', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: TEST_PAYMENT_METHODS.declined,
    });
    await expect(stripe.paymentIntents.confirm(intent.id)).rejects.toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
    });
    expect(emulator.paymentIntent(intent.id)).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });
  });

  it('captures partially and refunds no more than was captured', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      capture_method: 'manual',
      payment_method: TEST_PAYMENT_METHODS.succeeds,
      confirm: true,
    });
    expect(intent.status).toBe('requires_capture');
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 600 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 600 });
    await stripe.refunds.create({ payment_intent: intent.id, amount: 600 });
    await expect(stripe.refunds.create({ payment_intent: intent.id, amount: 1 })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
  });

  it('fails the next requests as told, then serves again', async () => {
    emulator.failNext(1, 'rate_limit');
    await expect(stripe.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    emulator.failNext(1, 'server_error');
    await expect(stripe.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    emulator.failNext(2, 'connection_reset');
    await expect(stripe.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await expect(stripe.customers.create({})).resolves.toMatchObject({ object: 'customer' });
    expect(emulator.requests.map((r) => r.injected ?? r.status)).toEqual([
      'rate_limit',
      'server_error',
      'connection_reset',
      'connection_reset',
      200,
    ]);
  });

  it('finds the PaymentIntent of a Tender session', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      metadata: { session_id: 'payses_find_me' },
    });
    await stripe.paymentIntents.create({ amount: 100, currency: 'usd', metadata: { session_id: 'payses_other' } });
    expect(emulator.paymentIntentForSession('payses_find_me')?.id).toBe(intent.id);
    expect(emulator.paymentIntentForSession('payses_nobody')).toBeUndefined();
  });

  it('answers an unimplemented endpoint with a clear 404', async () => {
    await expect(stripe.products.create({ name: 'x' })).rejects.toThrow(/Unrecognized request URL \(POST: \/v1\/products\)/);
  });
});
