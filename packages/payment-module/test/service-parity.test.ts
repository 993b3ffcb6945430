import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejection } from '@tender/core/testing';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [
      { resolve: SystemPaymentProvider, id: 'default' },
      { resolve: SystemPaymentProvider, id: 'second' },
    ],
  });
});
afterAll(async () => {
  await payments?.close();
});

async function captured(amount = '100') {
  const s = payments.service;
  const collection = await s.createPaymentCollections({ currency_code: 'usd', amount, metadata: { cart: amount } });
  const session = await s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount, currency_code: 'usd' });
  const payment = await s.authorizePaymentSession(session.id);
  await s.capturePayment({ payment_id: payment.id });
  return { collection, session, payment: await s.retrievePayment(payment.id) };
}

describe('payment collections', () => {
  it('retrieve and list load payment_sessions, payments, payments.captures and payments.refunds', async () => {
    const { collection, session, payment } = await captured('30');
    await payments.service.refundPayment({ payment_id: payment.id, amount: '5' });
    const full = await payments.service.retrievePaymentCollection(collection.id, {
      relations: ['payment_sessions', 'payments.captures', 'payments.refunds'],
    });
    expect(full.payment_sessions?.map((s) => s.id)).toEqual([session.id]);
    expect(full.payments?.map((p) => p.id)).toEqual([payment.id]);
    expect(full.payments?.[0]?.captures.map((c) => c.amount)).toEqual(['30']);
    expect(full.payments?.[0]?.refunds.map((r) => r.amount)).toEqual(['5']);
    const bare = await payments.service.retrievePaymentCollection(collection.id);
    expect(bare.payment_sessions).toBeUndefined();
    expect(bare.payments).toBeUndefined();
    const [listed] = await payments.service.listPaymentCollections({ id: collection.id }, { relations: ['payments'] });
    expect(listed?.payments?.[0]?.captured_amount).toBe('30');
  });

  it('lists with select, skip, take and order, and counts with listAndCountPaymentCollections', async () => {
    const s = payments.service;
    const made = [];
    for (const amount of ['3', '1', '2']) made.push(await s.createPaymentCollections({ currency_code: 'gbp', amount }));
    const ids = made.map((c) => c.id);
    const byAmount = await s.listPaymentCollections({ id: ids }, { order: { amount: 'ASC' }, select: ['amount'] });
    expect(byAmount).toEqual([
      { id: made[1]!.id, amount: '1' },
      { id: made[2]!.id, amount: '2' },
      { id: made[0]!.id, amount: '3' },
    ]);
    const [page, count] = await s.listAndCountPaymentCollections({ id: ids }, { order: { amount: 'DESC' }, skip: 1, take: 1 });
    expect(count).toBe(3);
    expect(page.map((c) => c.amount)).toEqual(['2']);
    expect((await s.listPaymentCollections({ id: ids })).map((c) => c.id)).toEqual(ids); // oldest first by default
    expect(await s.listPaymentCollections({ id: ids, currency_code: 'usd' })).toEqual([]);
  });

  it('upserts: with an id an update, without one a new collection', async () => {
    const s = payments.service;
    const created = await s.upsertPaymentCollections({ currency_code: 'usd', amount: '7' });
    const [updated, another] = await s.upsertPaymentCollections([
      { id: created.id, amount: '8', metadata: { v: 2 } },
      { currency_code: 'eur', amount: '1' },
    ]);
    expect(updated).toMatchObject({ id: created.id, amount: '8', metadata: { v: 2 } });
    expect(another).toMatchObject({ currency_code: 'eur', amount: '1' });
    expect((await rejection(s.upsertPaymentCollections({ id: 'pay_col_missing', amount: '1' }))).type).toBe('not_found');
  });

  it('updates by selector', async () => {
    const s = payments.service;
    const a = await s.createPaymentCollections({ currency_code: 'chf', amount: '1' });
    const b = await s.createPaymentCollections({ currency_code: 'chf', amount: '1' });
    const updated = await s.updatePaymentCollections({ id: [a.id, b.id] }, { metadata: { batch: true } });
    expect(updated.map((c) => c.metadata)).toEqual([{ batch: true }, { batch: true }]);
  });

  it('soft-deletes and restores a collection with the sessions deleted with it', async () => {
    const s = payments.service;
    const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '10' });
    const kept = await s.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '10',
      currency_code: 'usd',
    });
    const gone = await s.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '10',
      currency_code: 'usd',
    });
    await s.deletePaymentSession(gone.id);
    await s.softDeletePaymentCollections(collection.id);
    expect((await rejection(s.retrievePaymentCollection(collection.id))).type).toBe('not_found');
    expect((await rejection(s.retrievePaymentSession(kept.id))).type).toBe('not_found');
    await s.restorePaymentCollections([collection.id]);
    const back = await s.retrievePaymentCollection(collection.id, { relations: ['payment_sessions'] });
    expect(back.payment_sessions?.map((x) => x.id)).toEqual([kept.id]);
    expect((await rejection(s.restorePaymentCollections('pay_col_missing'))).type).toBe('not_found');
  });

  it('refuses to delete or soft-delete a collection with payments; deletes one without for good', async () => {
    const s = payments.service;
    const { collection } = await captured('5');
    for (const remove of [s.deletePaymentCollections(collection.id), s.softDeletePaymentCollections([collection.id])]) {
      const error = await rejection(remove);
      expect(error.type).toBe('not_allowed');
    }
    const empty = await s.createPaymentCollections({ currency_code: 'usd', amount: '1' });
    await s.createPaymentSession(empty.id, { provider_id: 'pp_system_default', amount: '1', currency_code: 'usd' });
    await s.deletePaymentCollections([empty.id]);
    expect((await rejection(s.restorePaymentCollections(empty.id))).type).toBe('not_found');
  });

  it('completePaymentCollections sets completed_at once; one or many in, one or many out', async () => {
    const s = payments.service;
    const a = await s.createPaymentCollections({ currency_code: 'usd', amount: '1' });
    const b = await s.createPaymentCollections({ currency_code: 'usd', amount: '1' });
    const one = await s.completePaymentCollections(a.id);
    expect(one.completed_at).toBeInstanceOf(Date);
    const both = await s.completePaymentCollections([a.id, b.id]);
    expect(both.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(both[0]!.completed_at).toEqual(one.completed_at);
    expect((await rejection(s.completePaymentCollections('pay_col_missing'))).type).toBe('not_found');
  });
});

describe('payments, captures and refunds', () => {
  it('updatePayment replaces the provider data; other fields and unknown payments are refused', async () => {
    const { payment } = await captured('9');
    const updated = await payments.service.updatePayment({ id: payment.id, data: { note: 'reconciled' } });
    expect(updated.data).toEqual({ note: 'reconciled' });
    expect(updated.captured_amount).toBe('9');
    expect((await rejection(payments.service.updatePayment({ id: payment.id, amount: '1' } as never))).type).toBe('invalid_data');
    expect((await rejection(payments.service.updatePayment({ id: 'pay_missing', data: {} }))).type).toBe('not_found');
  });

  it('listPayments and retrievePayment take filters and a FindConfig', async () => {
    const { collection, payment } = await captured('4');
    const [listed] = await payments.service.listPayments({ payment_collection_id: collection.id }, { select: ['amount'] });
    expect(listed).toEqual({ id: payment.id, amount: '4' });
    const retrieved = await payments.service.retrievePayment(payment.id, { relations: ['captures', 'refunds'] });
    expect(retrieved.captures).toHaveLength(1);
    const [rows, count] = await payments.service.listAndCountPayments({ payment_collection_id: [collection.id] });
    expect([rows.length, count]).toEqual([1, 1]);
  });

  it('listCaptures and listRefunds, filtered by payment', async () => {
    const { payment } = await captured('20');
    await payments.service.refundPayment({ payment_id: payment.id, amount: '2', note: 'first' });
    await payments.service.refundPayment({ payment_id: payment.id, amount: '3', note: 'second' });
    const captures = await payments.service.listCaptures({ payment_id: payment.id });
    expect(captures.map((c) => [c.amount, c.status])).toEqual([['20', 'succeeded']]);
    const refunds = await payments.service.listRefunds({ payment_id: payment.id }, { order: { amount: 'DESC' } });
    expect(refunds.map((r) => [r.amount, r.note])).toEqual([
      ['3', 'second'],
      ['2', 'first'],
    ]);
    expect(await payments.service.listRefunds({ payment_id: payment.id }, { take: 1, select: ['amount'] })).toEqual([
      { id: refunds[1]!.id, amount: '2' },
    ]);
  });

  it('deleteCaptures and deleteRefunds remove the records; the totals follow the rows that remain', async () => {
    const s = payments.service;
    const { collection, session, payment } = await captured('10');
    const [refund] = (await s.refundPayment({ payment_id: payment.id, amount: '4' })).refunds;
    await s.deleteRefunds(refund!.id);
    expect(await s.retrievePaymentCollection(collection.id)).toMatchObject({ status: 'completed', refunded_amount: '0' });
    await s.deleteCaptures([payment.captures[0]!.id]);
    const after = await s.retrievePayment(payment.id);
    expect(after).toMatchObject({ captured_amount: '0', captured_at: null, captures: [] });
    expect(await s.retrievePaymentCollection(collection.id)).toMatchObject({ status: 'authorized', captured_amount: '0' });
    expect((await s.retrievePaymentSession(session.id)).status).toBe('authorized');
    await s.deleteCaptures(['capt_missing']); // like Medusa: deleting what is not there is a no-op
    expect((await s.capturePayment({ payment_id: payment.id })).captured_amount).toBe('10');
  });
});

describe('payment providers', () => {
  it('listAndCountPaymentProviders with filters and a page', async () => {
    const [all, count] = await payments.service.listAndCountPaymentProviders();
    expect(count).toBe(2);
    expect(all.map((p) => p.id)).toEqual(['pp_system_default', 'pp_system_second']);
    const [page, total] = await payments.service.listAndCountPaymentProviders({ is_enabled: true }, { skip: 1, take: 5 });
    expect([page.map((p) => p.id), total]).toEqual([['pp_system_second'], 2]);
    // A registered provider is an enabled one: nothing is kept of a provider that left the configuration.
    expect(await payments.service.listAndCountPaymentProviders({ is_enabled: false })).toEqual([[], 0]);
    expect(await payments.service.listPaymentProviders({ id: 'pp_system_second' })).toEqual([
      { id: 'pp_system_second', identifier: 'system', route_key: 'system_second', is_enabled: true },
    ]);
    expect((await rejection(payments.service.listPaymentProviders({ name: 'x' } as never))).type).toBe('invalid_data');
  });
});

describe('refund reasons', () => {
  it('creates, updates, soft-deletes, restores and deletes, one or many', async () => {
    const s = payments.service;
    const [damaged, late] = await s.createRefundReasons([
      { code: 'damaged', label: 'Damaged', metadata: { team: 'ops' } },
      { code: 'late', label: 'Late' },
    ]);
    const alias = await s.createRefundReason({ code: 'other', label: 'Other', description: 'Anything else' });
    expect(alias).toMatchObject({ code: 'other', description: 'Anything else', deleted_at: null });
    const renamed = await s.updateRefundReasons({ id: late!.id, label: 'Arrived late' });
    expect(renamed).toMatchObject({ id: late!.id, code: 'late', label: 'Arrived late' });
    expect((await s.updateRefundReasons([{ id: damaged!.id, description: 'Broken in transit' }]))[0]).toMatchObject({
      description: 'Broken in transit',
      metadata: { team: 'ops' },
    });

    await s.softDeleteRefundReasons([late!.id]);
    expect((await s.listRefundReasons({ id: [damaged!.id, late!.id] })).map((r) => r.code)).toEqual(['damaged']);
    expect((await rejection(s.updateRefundReasons({ id: late!.id, label: 'x' }))).type).toBe('not_found');
    // A deleted reason gives its code back; restoring it then is a conflict.
    const reused = await s.createRefundReasons({ code: 'late', label: 'Late again' });
    expect((await rejection(s.restoreRefundReasons(late!.id))).type).toBe('conflict');
    await s.deleteRefundReasons(reused.id);
    await s.restoreRefundReasons(late!.id);
    expect((await s.listRefundReasons({ code: 'late' })).map((r) => r.id)).toEqual([late!.id]);

    const { payment } = await captured('3');
    await s.refundPayment({ payment_id: payment.id, amount: '1', refund_reason_id: damaged!.id });
    await s.deleteRefundReasons([damaged!.id]);
    expect((await s.listRefunds({ payment_id: payment.id }))[0]).toMatchObject({ amount: '1', refund_reason_id: null });
  });

  it('refuses a reason without a code or label, or with unknown fields', async () => {
    for (const input of [{ label: 'x' }, { code: 'x', label: '' }, { code: 'y', label: 'y', colour: 'red' }]) {
      expect((await rejection(payments.service.createRefundReasons(input as never))).type).toBe('invalid_data');
    }
  });
});
