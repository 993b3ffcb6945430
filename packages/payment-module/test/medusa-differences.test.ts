import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejection } from '@tender/core/testing';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

// One test per entry of the README's "Differences from Medusa", in its order.

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({ providers: [{ resolve: SystemPaymentProvider, id: 'default' }] });
});
afterAll(async () => {
  await payments?.close();
});

async function authorized(amount: string, currency_code = 'usd') {
  const s = payments.service;
  const collection = await s.createPaymentCollections({ currency_code, amount });
  const session = await s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount, currency_code });
  const payment = await s.authorizePaymentSession(session.id);
  return { collection, session, payment };
}

describe('differences from Medusa (README)', () => {
  it('1. a fully captured collection is completed', async () => {
    const { collection, payment } = await authorized('10');
    await payments.service.capturePayment({ payment_id: payment.id });
    const after = await payments.service.retrievePaymentCollection(collection.id);
    expect(after.status).toBe('completed');
    expect(after.completed_at).toBeInstanceOf(Date);
  });

  it('2. a captured session is captured', async () => {
    const { session, payment } = await authorized('10');
    await payments.service.capturePayment({ payment_id: payment.id, amount: '4' });
    expect((await payments.service.retrievePaymentSession(session.id)).status).toBe('captured');
  });

  it('3. amounts come back as decimal strings', async () => {
    const { collection, payment } = await authorized('10.50');
    expect(payment.amount).toBe('10.5');
    expect(typeof (await payments.service.retrievePaymentCollection(collection.id)).authorized_amount).toBe('string');
    expect((await rejection(payments.service.createPaymentCollections({ currency_code: 'usd', amount: 10.5 }))).message).toMatch(
      /decimal strings/,
    );
  });

  it('4. currency codes are lower-cased', async () => {
    const { collection, session } = await authorized('3', 'EUR');
    expect([collection.currency_code, session.currency_code]).toEqual(['eur', 'eur']);
  });

  it('5. a collection with payments cannot be deleted', async () => {
    const { collection } = await authorized('2');
    expect((await rejection(payments.service.deletePaymentCollections(collection.id))).type).toBe('not_allowed');
    expect((await rejection(payments.service.softDeletePaymentCollections(collection.id))).type).toBe('not_allowed');
    expect((await payments.service.retrievePaymentCollection(collection.id)).id).toBe(collection.id);
  });

  it("6. a session's currency must equal its collection's", async () => {
    const s = payments.service;
    const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '5' });
    const wrong = { provider_id: 'pp_system_default', amount: '5', currency_code: 'eur' };
    expect((await rejection(s.createPaymentSession(collection.id, wrong))).type).toBe('invalid_data');
    const session = await s.createPaymentSession(collection.id, { ...wrong, currency_code: 'usd' });
    expect((await rejection(s.updatePaymentSession({ id: session.id, currency_code: 'eur' }))).type).toBe('invalid_data');
    expect((await rejection(s.updatePaymentCollections(collection.id, { currency_code: 'eur' }))).type).toBe('not_allowed');
  });

  it('7. a capture or refund whose provider call is in flight cannot be deleted', async () => {
    const { payment } = await authorized('8');
    const pending = 'capt_pending_test';
    await payments.orm.em
      .fork()
      .execute("insert into capture (id, payment_id, amount, status, idempotency_key) values (?, ?, 1, 'pending', ?)", [
        pending,
        payment.id,
        pending,
      ]);
    const error = await rejection(payments.service.deleteCaptures(pending));
    expect(error.type).toBe('conflict');
    expect(await payments.service.listCaptures({ id: pending })).toHaveLength(1);
  });

  it('8. softDelete and restore resolve with nothing', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'usd', amount: '1' });
    await expect(
      payments.service.softDeletePaymentCollections(collection.id, { returnLinkableKeys: ['x'] }),
    ).resolves.toBeUndefined();
    await expect(payments.service.restorePaymentCollections(collection.id)).resolves.toBeUndefined();
  });
});

describe('what is the same as Medusa and could look otherwise', () => {
  it('lists without `take` return every row', async () => {
    const s = payments.service;
    const ids = [];
    for (let i = 0; i < 60; i++) ids.push((await s.createPaymentCollections({ currency_code: 'sek', amount: '1' })).id);
    expect(await s.listPaymentCollections({ id: ids })).toHaveLength(60);
  });
});
