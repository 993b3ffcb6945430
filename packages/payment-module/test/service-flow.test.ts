import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({ providers: [{ resolve: SystemPaymentProvider, id: 'default' }] });
});
afterAll(async () => {
  await payments?.close();
});

/** A collection with one system-provider session, not yet authorized. */
async function pendingSession(amount = '40.00') {
  const service = payments.service;
  const collection = await service.createPaymentCollections({ currency_code: 'usd', amount });
  const session = await service.createPaymentSession(collection.id, {
    provider_id: 'pp_system_default',
    amount,
    currency_code: 'usd',
  });
  return { collection, session };
}

async function authorizedPayment(amount = '100.00') {
  const { collection, session } = await pendingSession(amount);
  const payment = await payments.service.authorizePaymentSession(session.id);
  return { collection, session, payment };
}

describe('authorize → capture → refund → cancel with the system provider', () => {
  it('walks the full flow with the collection status and amounts after each step', async () => {
    const service = payments.service;
    const collection = await service.createPaymentCollections({ currency_code: 'usd', amount: '100.00' });
    expect(collection).toMatchObject({ status: 'not_paid', amount: '100', authorized_amount: '0' });
    expect(collection.id).toMatch(/^pay_col_/);

    const session = await service.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '100.00',
      currency_code: 'usd',
    });
    expect(session.id).toMatch(/^payses_/);
    expect((await service.retrievePaymentCollection(collection.id)).status).toBe('awaiting');

    const payment = await service.authorizePaymentSession(session.id);
    expect(payment.id).toMatch(/^pay_/);
    expect(payment.amount).toBe('100');
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'authorized',
      authorized_amount: '100',
    });
    expect((await service.retrievePaymentSession(session.id)).status).toBe('authorized');

    // Split capture: 30 then the rest.
    await service.capturePayment({ payment_id: payment.id, amount: '30.00' });
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'partially_captured',
      captured_amount: '30',
    });
    const full = await service.capturePayment({ payment_id: payment.id });
    expect(full.captured_amount).toBe('100');
    expect(full.captures.map((c) => c.amount)).toEqual(['30', '70']);
    expect(full.captured_at).not.toBeNull();
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({ status: 'completed', captured_amount: '100' });

    // Over-capture is rejected and changes nothing.
    await expect(service.capturePayment({ payment_id: payment.id, amount: '0.01' })).rejects.toThrow(/already fully captured/);

    // Partial and multiple refunds.
    await service.refundPayment({ payment_id: payment.id, amount: '10.00' });
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: '10',
    });
    await service.refundPayment({ payment_id: payment.id, amount: '15.50' });
    await expect(service.refundPayment({ payment_id: payment.id, amount: '74.51' })).rejects.toThrow(
      /only 74.5 is captured and not yet refunded/,
    );
    const refunded = await service.refundPayment({ payment_id: payment.id, amount: '74.50' });
    expect(refunded.refunds.map((r) => r.amount)).toEqual(['10', '15.5', '74.5']);
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({ status: 'refunded', refunded_amount: '100' });
    await expect(service.refundPayment({ payment_id: payment.id, amount: '1' })).rejects.toThrow(/nothing left to refund/);

    // A captured payment cannot be canceled.
    await expect(service.cancelPayment(payment.id)).rejects.toThrow(/refund it instead/);
  });

  it('rejects capturing more than authorized with a clear error', async () => {
    const { payment } = await authorizedPayment('50');
    const error = await payments.service.capturePayment({ payment_id: payment.id, amount: '50.01' }).catch((e) => e);
    expect(error).toBeInstanceOf(TenderError);
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/only 50 is authorized and not yet captured/);
    expect((await payments.service.retrievePayment(payment.id)).captures).toHaveLength(0);
  });

  it('cancels an uncaptured payment, idempotently', async () => {
    const { collection, session, payment } = await authorizedPayment('20');
    const canceled = await payments.service.cancelPayment(payment.id);
    expect(canceled.canceled_at).not.toBeNull();
    const again = await payments.service.cancelPayment(payment.id);
    expect(again.canceled_at).toEqual(canceled.canceled_at);
    expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
      status: 'canceled',
      authorized_amount: '0',
    });
    expect((await payments.service.retrievePaymentSession(session.id)).status).toBe('canceled');
    await expect(payments.service.capturePayment({ payment_id: payment.id })).rejects.toThrow(/canceled/);
  });

  it('authorizing twice returns the same payment', async () => {
    const { session, payment } = await authorizedPayment('5');
    const again = await payments.service.authorizePaymentSession(session.id);
    expect(again.id).toBe(payment.id);
    expect(await payments.service.listPayments({ payment_session_id: session.id })).toHaveLength(1);
  });

  it('retrying a capture with the same idempotency key captures once', async () => {
    const { payment } = await authorizedPayment('40');
    await payments.service.capturePayment({ payment_id: payment.id, amount: '10', idempotency_key: 'order-1-capture-1' });
    const again = await payments.service.capturePayment({
      payment_id: payment.id,
      amount: '10',
      idempotency_key: 'order-1-capture-1',
    });
    expect(again.captures).toHaveLength(1);
    expect(again.captured_amount).toBe('10');
  });

  it('handles zero- and three-decimal currencies exactly', async () => {
    const jpy = await payments.service.createPaymentCollections({ currency_code: 'jpy', amount: '1500' });
    const s1 = await payments.service.createPaymentSession(jpy.id, {
      provider_id: 'pp_system_default',
      amount: '1500',
      currency_code: 'JPY',
    });
    const p1 = await payments.service.authorizePaymentSession(s1.id);
    await payments.service.capturePayment({ payment_id: p1.id, amount: '500' });
    expect((await payments.service.retrievePaymentCollection(jpy.id)).captured_amount).toBe('500');

    const kwd = await payments.service.createPaymentCollections({ currency_code: 'kwd', amount: '10.125' });
    const s2 = await payments.service.createPaymentSession(kwd.id, {
      provider_id: 'pp_system_default',
      amount: '10.125',
      currency_code: 'kwd',
    });
    const p2 = await payments.service.authorizePaymentSession(s2.id);
    await payments.service.capturePayment({ payment_id: p2.id, amount: '0.001' });
    const after = await payments.service.capturePayment({ payment_id: p2.id });
    expect(after.captures.map((c) => c.amount)).toEqual(['0.001', '10.124']);
  });
});

describe('applyWebhookAuthorization, the webhook workflow authorization', () => {
  it('creates the payment and records the reported capture in one go; a repeat creates and records nothing', async () => {
    const service = payments.service;
    const { collection, session } = await pendingSession();
    const first = await service.applyWebhookAuthorization(session.id, { status: 'captured', capture: { amount: '40.00' } });
    expect(first).toMatchObject({ created: true, captured: '40', collection_status: 'completed' });
    expect(first.payment).toMatchObject({ amount: '40', captured_amount: '40', refunded_amount: '0' });
    expect(first.payment.captures).toEqual([expect.objectContaining({ amount: '40', status: 'succeeded', source: 'provider' })]);
    expect(first.payment.captured_at).not.toBeNull();
    // What it returns is what is stored.
    expect(await service.retrievePayment(first.payment.id)).toEqual(first.payment);
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({ status: 'completed', captured_amount: '40' });
    expect((await service.retrievePaymentSession(session.id)).status).toBe('captured');

    const again = await service.applyWebhookAuthorization(session.id, { status: 'captured', capture: { amount: '40.00' } });
    expect(again).toMatchObject({ created: false, captured: '0' });
    expect(again.collection_status).toBeUndefined();
    expect(again.payment.captures).toHaveLength(1);
  });

  it('records a partial running total, and no capture at all for an authorization', async () => {
    const service = payments.service;
    const partial = await pendingSession();
    const result = await service.applyWebhookAuthorization(partial.session.id, { status: 'captured', capture: { amount: '15' } });
    expect(result).toMatchObject({ created: true, captured: '15', collection_status: 'partially_captured' });
    expect(await service.retrievePaymentCollection(partial.collection.id)).toMatchObject({
      status: 'partially_captured',
      captured_amount: '15',
    });

    const authorizedOnly = await pendingSession();
    const authorized = await service.applyWebhookAuthorization(authorizedOnly.session.id, { status: 'authorized' });
    expect(authorized).toMatchObject({ created: true, captured: '0' });
    expect(authorized.payment.captures).toEqual([]);
    expect((await service.retrievePaymentCollection(authorizedOnly.collection.id)).status).toBe('authorized');
  });

  it('10 concurrent calls create one payment and record its capture once', async () => {
    const service = payments.service;
    const { collection, session } = await pendingSession();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => service.applyWebhookAuthorization(session.id, { status: 'captured', capture: {} })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
    const [payment] = await service.listPayments({ payment_session_id: session.id });
    expect(payment!.captures.map((c) => c.amount)).toEqual(['40']);
    expect((await service.retrievePaymentCollection(collection.id)).captured_amount).toBe('40');
  });

  it("adds to the collection's other payments: totals and status as a recomputation from all its rows gives", async () => {
    const service = payments.service;
    const collection = await service.createPaymentCollections({ currency_code: 'usd', amount: '100.00' });
    const session = (amount: string) =>
      service.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount, currency_code: 'usd' });
    // A payment canceled before (not counted), one of 60 authorized by the storefront, then 40 captured by webhook.
    const canceled = await service.authorizePaymentSession((await session('30.00')).id);
    await service.cancelPayment(canceled.id);
    await service.authorizePaymentSession((await session('60.00')).id);
    const last = await session('40.00');
    const result = await service.applyWebhookAuthorization(last.id, { status: 'captured', capture: { amount: '40' } });
    expect(result.collection_status).toBe('partially_captured');
    expect(await service.retrievePaymentCollection(collection.id)).toMatchObject({
      authorized_amount: '100',
      captured_amount: '40',
      refunded_amount: '0',
      status: 'partially_captured',
      completed_at: null,
    });
  });

  it('a bad reported amount is refused before anything is written', async () => {
    const service = payments.service;
    const { session } = await pendingSession();
    await expect(
      service.applyWebhookAuthorization(session.id, { status: 'captured', capture: { amount: '-5' } }),
    ).rejects.toMatchObject({ type: 'invalid_data' });
    expect(await service.listPayments({ payment_session_id: session.id })).toEqual([]);
  });
});
