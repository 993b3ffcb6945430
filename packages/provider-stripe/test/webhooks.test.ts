import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { STRIPE_WEBHOOK_EVENT_TYPES, type StripeProviderBase } from '@tender/provider-stripe';
import {
  createStripeWebhook,
  type StripeEmulator,
  type StripeObject,
  startStripeEmulator,
  TEST_WEBHOOK_SECRET,
  toProviderWebhookPayload,
} from '@tender/provider-stripe/testing';
import { sessionId } from '@tender/provider-testkit';
import Stripe from 'stripe';
import { providerFor } from './support.js';

let emulator: StripeEmulator;
let provider: StripeProviderBase;
beforeAll(async () => {
  emulator = await startStripeEmulator();
  provider = providerFor(emulator);
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

const SESSION = 'payses_01WEBHOOK';
const deliver = (type: string, object: StripeObject, secret = TEST_WEBHOOK_SECRET) =>
  provider.getWebhookActionAndData(toProviderWebhookPayload(createStripeWebhook({ secret, type, object })));

const intent = (fields: StripeObject = {}) => ({
  id: 'pi_3WebhookTestIntent000001',
  amount: 1050,
  currency: 'eur',
  metadata: { session_id: SESSION },
  ...fields,
});
const checkout = (fields: StripeObject = {}) => ({
  id: 'cs_test_webhook',
  amount_total: 1050,
  currency: 'eur',
  payment_intent: 'pi_3WebhookTestIntent000001',
  metadata: { session_id: SESSION },
  ...fields,
});

describe('mapped events', () => {
  const table: Array<[string, StripeObject, string, string]> = [
    ['payment_intent.amount_capturable_updated', intent(), 'authorized', '10.50'],
    ['payment_intent.succeeded', intent(), 'captured', '10.50'],
    ['payment_intent.payment_failed', intent(), 'failed', '10.50'],
    ['payment_intent.canceled', intent(), 'canceled', '10.50'],
    ['payment_intent.processing', intent(), 'pending', '10.50'],
    ['payment_intent.requires_action', intent(), 'requires_more', '10.50'],
    ['checkout.session.completed', checkout(), 'captured', '10.50'],
    ['checkout.session.async_payment_succeeded', checkout(), 'captured', '10.50'],
    ['checkout.session.async_payment_failed', checkout(), 'failed', '10.50'],
    ['checkout.session.expired', checkout(), 'canceled', '10.50'],
    [
      'charge.refunded',
      { id: 'ch_1', amount: 1050, amount_refunded: 300, currency: 'eur', metadata: { session_id: SESSION } },
      'refunded',
      '3.00',
    ],
    [
      'charge.dispute.created',
      { id: 'dp_1', amount: 1050, currency: 'eur', metadata: { session_id: SESSION } },
      'requires_more',
      '10.50',
    ],
  ];

  it('covers every event type the provider subscribes to (refund.* below, against the emulator)', () => {
    expect([...table.map(([type]) => type), 'refund.created', 'refund.updated'].sort()).toEqual(
      [...STRIPE_WEBHOOK_EVENT_TYPES].sort(),
    );
  });

  const rows = table.map(([type, object, action, amount]) => [type, action, amount, object] as const);
  it.each(rows)('%s → %s %s', async (type, action, amount, object) => {
    const delivery = createStripeWebhook({ secret: TEST_WEBHOOK_SECRET, type, object });
    const result = await provider.getWebhookActionAndData(toProviderWebhookPayload(delivery));
    expect(result).toEqual({
      action,
      event_id: delivery.event.id,
      event_type: type,
      data: {
        session_id: SESSION,
        amount,
        currency_code: 'eur',
        // The PaymentIntent the object names (itself, or a Checkout Session's); these charges name none.
        payment_reference: type.startsWith('charge.') ? undefined : 'pi_3WebhookTestIntent000001',
      },
    });
  });

  it('a processing async method is pending_authorization', async () => {
    const result = await deliver('payment_intent.processing', intent({ processing: { type: 'sepa_debit' } }));
    expect(result.action).toBe('pending_authorization');
  });

  it('a completed Checkout Session still unpaid (delayed method) is pending; one with nothing to pay is not_supported', async () => {
    expect((await deliver('checkout.session.completed', checkout({ payment_status: 'unpaid' }))).action).toBe('pending');
    expect((await deliver('checkout.session.completed', checkout({ payment_status: 'no_payment_required' }))).action).toBe(
      'not_supported',
    );
  });

  it('a refund that has not succeeded yet changes nothing', async () => {
    const result = await deliver('refund.updated', {
      id: 're_2',
      amount: 300,
      currency: 'eur',
      status: 'pending',
      metadata: { session_id: SESSION },
    });
    expect(result.action).toBe('not_supported');
  });

  it.each([
    ['jpy', 5000, '5000'],
    ['kwd', 12345, '12.345'],
    ['bhd', 1001, '1.001'],
    ['usd', 1, '0.01'],
  ])('amounts in %s are exact major units', async (currency, minor, expected) => {
    const result = await deliver('payment_intent.succeeded', intent({ amount: minor, currency }));
    expect(result.data).toEqual({
      session_id: SESSION,
      amount: expected,
      currency_code: currency,
      payment_reference: 'pi_3WebhookTestIntent000001',
    });
  });

  it('captured amount is amount_received (a partial capture), authorized amount is amount_capturable', async () => {
    expect((await deliver('payment_intent.succeeded', intent({ amount_received: 700 }))).data?.amount).toBe('7.00');
    expect((await deliver('payment_intent.amount_capturable_updated', intent({ amount_capturable: 900 }))).data?.amount).toBe(
      '9.00',
    );
  });

  it.each([
    ['payment_intent.succeeded', intent({ amount_received: 0 })],
    ['payment_intent.amount_capturable_updated', intent({ amount_capturable: 0 })],
    ['checkout.session.completed', checkout({ amount_total: 0, payment_status: 'paid' })],
    ['charge.refunded', { id: 'ch_0', amount: 1050, amount_refunded: 0, currency: 'eur', metadata: { session_id: SESSION } }],
  ])('a correctly signed %s that moves no money is invalid_data (400), never a capture of 0', async (type, object) => {
    await expect(deliver(type, object)).rejects.toMatchObject({
      type: 'invalid_data',
      message: expect.stringMatching(new RegExp(`${type.replace(/\./g, '\\.')} amount must be greater than zero`)),
    });
  });

  it('refuses a negative or fractional Stripe amount as invalid_data', async () => {
    await expect(deliver('payment_intent.succeeded', intent({ amount_received: -500 }))).rejects.toMatchObject({
      type: 'invalid_data',
    });
    await expect(deliver('payment_intent.succeeded', intent({ amount_received: 10.5 }))).rejects.toMatchObject({
      type: 'invalid_data',
    });
  });
});

describe('session id from the object the event points to', () => {
  async function capturedPayment() {
    const session = sessionId();
    const created = await provider.initiatePayment({ amount: '10.50', currency_code: 'eur', session_id: session });
    emulator.setPaymentIntentStatus(created.id, 'requires_capture');
    await provider.capturePayment({ data: created.data ?? {} });
    const refunded = await provider.refundPayment({ data: created.data ?? {}, amount: '3', currency_code: 'eur' });
    return { session, intentId: created.id, refund: refunded.data?.latest_refund as StripeObject };
  }

  it.each(['refund.created', 'refund.updated'])('%s without metadata → the PaymentIntent it names', async (type) => {
    const { session, refund } = await capturedPayment();
    expect(refund.metadata).toEqual({});
    const result = await deliver(type, refund);
    expect(result).toMatchObject({ action: 'refunded', data: { session_id: session, amount: '3.00', currency_code: 'eur' } });
  });

  it('every refund event reports the total refunded so far, whatever the order and repetition of deliveries', async () => {
    const { session, intentId, refund: first } = await capturedPayment();
    const provider2 = providerFor(emulator);
    const second = (
      await provider2.refundPayment({ data: { id: intentId, currency: 'eur' }, amount: '2.50', currency_code: 'eur' })
    ).data?.latest_refund as StripeObject;
    const charge = emulator.paymentIntent(intentId).latest_charge as string;
    const deliveries = [
      ['refund.created', second],
      ['refund.created', first],
      ['refund.updated', first],
      ['charge.refunded', emulator.charge(charge)],
    ] as const;
    for (const [type, object] of deliveries) {
      const result = await deliver(type, object);
      expect(result).toMatchObject({ action: 'refunded', data: { session_id: session, amount: '5.50' } });
    }
  });

  it('a refund naming only its charge → the charge → its PaymentIntent', async () => {
    const { session, refund } = await capturedPayment();
    const result = await deliver('refund.created', { ...refund, payment_intent: null });
    expect(result.data?.session_id).toBe(session);
    expect(emulator.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/charges/'))).toBe(true);
  });

  it('charge.dispute.created → the PaymentIntent of the disputed charge', async () => {
    const { session, intentId } = await capturedPayment();
    const chargeId = emulator.paymentIntent(intentId).latest_charge as string;
    const result = await deliver('charge.dispute.created', {
      id: 'dp_2',
      amount: 1050,
      currency: 'eur',
      charge: chargeId,
      payment_intent: intentId,
    });
    expect(result).toMatchObject({ action: 'requires_more', data: { session_id: session, amount: '10.50' } });
  });

  it('a Checkout Session without metadata → its PaymentIntent', async () => {
    const { session, intentId } = await capturedPayment();
    const result = await deliver('checkout.session.completed', checkout({ metadata: {}, payment_intent: intentId }));
    expect(result.data?.session_id).toBe(session);
  });

  it('Stripe unreachable during the lookup is an error (so Stripe redelivers), not an acknowledgement', async () => {
    const { refund } = await capturedPayment();
    emulator.failNext(10, 'rate_limit');
    await expect(deliver('refund.created', refund)).rejects.toMatchObject({ type: 'unavailable' });
  });
});

describe('objects that are not ours', () => {
  it('a PaymentIntent without our metadata is not_supported, with no API call', async () => {
    const result = await deliver('payment_intent.succeeded', intent({ metadata: {} }));
    expect(result).toEqual({
      action: 'not_supported',
      event_id: expect.stringMatching(/^evt_/),
      event_type: 'payment_intent.succeeded',
    });
    expect(emulator.requests).toHaveLength(0);
  });

  it('a refund whose PaymentIntent has no session id, or does not exist, is not_supported', async () => {
    const other = await new Stripe('sk_test_other_integration', {
      host: '127.0.0.1',
      port: emulator.options.apiPort,
      protocol: 'http',
    }).paymentIntents.create({ amount: 500, currency: 'eur', capture_method: 'manual' });
    emulator.setPaymentIntentStatus(other.id, 'succeeded');
    expect(
      (await deliver('refund.created', { id: 're_x', amount: 500, currency: 'eur', payment_intent: other.id, metadata: {} }))
        .action,
    ).toBe('not_supported');
    expect(
      (await deliver('refund.created', { id: 're_y', amount: 500, currency: 'eur', payment_intent: 'pi_gone', metadata: {} }))
        .action,
    ).toBe('not_supported');
  });

  it('an event type Tender does not act on is not_supported, keeping its id for the inbox', async () => {
    const delivery = createStripeWebhook({ secret: TEST_WEBHOOK_SECRET, type: 'customer.created', object: { id: 'cus_1' } });
    expect(await provider.getWebhookActionAndData(toProviderWebhookPayload(delivery))).toEqual({
      action: 'not_supported',
      event_id: delivery.event.id,
      event_type: 'customer.created',
    });
  });
});

describe('authenticity', () => {
  const delivery = () => createStripeWebhook({ secret: TEST_WEBHOOK_SECRET, type: 'payment_intent.succeeded', object: intent() });

  it('accepts the untouched delivery', async () => {
    await expect(provider.getWebhookActionAndData(toProviderWebhookPayload(delivery()))).resolves.toMatchObject({
      action: 'captured',
    });
  });

  it('rejects a body with one flipped byte', async () => {
    const original = delivery();
    for (const position of [0, Math.floor(original.rawBody.length / 2), original.rawBody.length - 1]) {
      const rawBody = Buffer.from(original.rawBody);
      rawBody[position] = (rawBody[position] as number) ^ 0x01;
      await expect(provider.getWebhookActionAndData(toProviderWebhookPayload({ ...original, rawBody }))).rejects.toMatchObject({
        type: 'unauthorized',
      });
    }
  });

  it('rejects a byte that makes the body invalid UTF-8', async () => {
    const original = delivery();
    const rawBody = Buffer.from(original.rawBody);
    rawBody[10] = 0xff;
    await expect(provider.getWebhookActionAndData(toProviderWebhookPayload({ ...original, rawBody }))).rejects.toMatchObject({
      type: 'unauthorized',
    });
  });

  it('rejects a re-serialized body (same JSON, different bytes)', async () => {
    const original = delivery();
    const rawBody = Buffer.from(JSON.stringify(JSON.parse(original.rawBody.toString('utf8'))));
    expect(rawBody.equals(original.rawBody)).toBe(false);
    await expect(provider.getWebhookActionAndData(toProviderWebhookPayload({ ...original, rawBody }))).rejects.toThrow(
      /does not match the body/,
    );
  });

  it('rejects a stale timestamp, even correctly signed', async () => {
    const stale = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.succeeded',
      object: intent(),
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    await expect(provider.getWebhookActionAndData(toProviderWebhookPayload(stale))).rejects.toThrow(
      /older than the 300s tolerance/,
    );
    const recent = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.succeeded',
      object: intent(),
      timestamp: Math.floor(Date.now() / 1000) - 200,
    });
    await expect(provider.getWebhookActionAndData(toProviderWebhookPayload(recent))).resolves.toMatchObject({
      action: 'captured',
    });
  });

  it('rejects a signature dated beyond the tolerance in the future, even correctly signed', async () => {
    const signedAt = (offset: number) =>
      createStripeWebhook({
        secret: TEST_WEBHOOK_SECRET,
        type: 'payment_intent.succeeded',
        object: intent(),
        timestamp: Math.floor(Date.now() / 1000) + offset,
      });
    const tenYears = 10 * 365 * 24 * 3600;
    for (const ahead of [signedAt(tenYears), signedAt(330)]) {
      await expect(provider.getWebhookActionAndData(toProviderWebhookPayload(ahead))).rejects.toMatchObject({
        type: 'unauthorized',
        message: expect.stringMatching(/more than 300s in the future/),
      });
    }
    await expect(provider.getWebhookActionAndData(toProviderWebhookPayload(signedAt(60)))).resolves.toMatchObject({
      action: 'captured',
    });
  });

  it('accepts every secret of a rotation and nothing else', async () => {
    const rolled = ['whsec_newSigningSecret0123456789abcd', 'whsec_oldSigningSecret0123456789abcd'];
    const rotating = providerFor(emulator, { webhookSecret: rolled });
    for (const secret of rolled) {
      const signed = createStripeWebhook({ secret, type: 'payment_intent.succeeded', object: intent() });
      await expect(rotating.getWebhookActionAndData(toProviderWebhookPayload(signed))).resolves.toMatchObject({
        action: 'captured',
      });
    }
    const retired = createStripeWebhook({ secret: 'whsec_retired_secret', type: 'payment_intent.succeeded', object: intent() });
    const error = await rotating.getWebhookActionAndData(toProviderWebhookPayload(retired)).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'unauthorized' });
    expect(String((error as Error).message)).not.toMatch(/whsec_/);
  });

  it('rejects a missing or malformed Stripe-Signature header', async () => {
    const original = delivery();
    const missing = { ...toProviderWebhookPayload(original), headers: {} };
    await expect(provider.getWebhookActionAndData(missing)).rejects.toThrow(/Missing Stripe-Signature/);
    const garbled = { ...toProviderWebhookPayload(original), headers: { 'stripe-signature': 'not-a-signature' } };
    await expect(provider.getWebhookActionAndData(garbled)).rejects.toMatchObject({ type: 'unauthorized' });
  });

  it('a correctly signed body that is not a Stripe event is invalid_data', async () => {
    for (const payload of ['not json', '[1,2]', JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded' })]) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
      const request = toProviderWebhookPayload({
        headers: { 'stripe-signature': header, 'content-type': 'application/json' },
        rawBody: Buffer.from(payload),
      });
      await expect(provider.getWebhookActionAndData(request)).rejects.toMatchObject({ type: 'invalid_data' });
    }
  });
});
