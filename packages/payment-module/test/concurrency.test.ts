import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareAmounts } from '@tender/core';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({ providers: [{ resolve: SystemPaymentProvider, id: 'default' }], poolSize: 25 });
});
afterAll(async () => {
  await payments?.close();
});

async function session(amount: string) {
  const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount });
  return payments.service.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount, currency_code: 'eur' });
}

describe('concurrency on real PostgreSQL', () => {
  it('20 concurrent captures of 10% each: exactly 10 succeed and captured never exceeds authorized', async () => {
    const s = await session('100.00');
    const payment = await payments.service.authorizePaymentSession(s.id);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => payments.service.capturePayment({ payment_id: payment.id, amount: '10.00' })),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(10);
    expect(rejected).toHaveLength(10);
    for (const r of rejected) expect(r.reason.message).toMatch(/fully captured|only 0 is authorized/);
    const after = await payments.service.retrievePayment(payment.id);
    expect(after.captured_amount).toBe('100');
    expect(after.captures.filter((c) => c.status === 'succeeded')).toHaveLength(10);
    expect(compareAmounts(after.captured_amount, after.amount)).toBeLessThanOrEqual(0);
    const collection = await payments.service.retrievePaymentCollection(after.payment_collection_id);
    expect(collection).toMatchObject({ status: 'completed', captured_amount: '100' });
  });

  it('10 concurrent authorizations of one session create one payment', async () => {
    const s = await session('42.42');
    const results = await Promise.all(Array.from({ length: 10 }, () => payments.service.authorizePaymentSession(s.id)));
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    expect(await payments.service.listPayments({ payment_session_id: s.id })).toHaveLength(1);
    const collection = await payments.service.retrievePaymentCollection(s.payment_collection_id);
    expect(collection).toMatchObject({ status: 'authorized', authorized_amount: '42.42' });
  });

  it('concurrent refunds never exceed what was captured', async () => {
    const s = await session('30');
    const payment = await payments.service.authorizePaymentSession(s.id);
    await payments.service.capturePayment({ payment_id: payment.id });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => payments.service.refundPayment({ payment_id: payment.id, amount: '7' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect((await payments.service.retrievePayment(payment.id)).refunded_amount).toBe('28');
  });
});
