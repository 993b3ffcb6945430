import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PaymentDataInput, PaymentDataOutput, TenderError } from '@tender/core';
import { rejection } from '@tender/core/testing';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

/** The system provider with gateway-like latency, so a concurrent call can land while another waits on it. */
class SlowProvider extends SystemPaymentProvider {
  static override identifier = 'slow';
  static calls: { op: string; data: Record<string, unknown> }[] = [];
  private async pause(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
  }
  override async authorizePayment(input: PaymentDataInput) {
    await this.pause();
    return super.authorizePayment(input);
  }
  override async deletePayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    await this.pause();
    SlowProvider.calls.push({ op: 'delete', data: input.data });
    return { data: input.data };
  }
  override async capturePayment(input: Parameters<SystemPaymentProvider['capturePayment']>[0]) {
    SlowProvider.calls.push({ op: 'capture', data: input.data });
    return super.capturePayment(input);
  }
}

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [
      { resolve: SystemPaymentProvider, id: 'default' },
      { resolve: SlowProvider, id: 'default' },
    ],
  });
});
afterAll(async () => {
  await payments?.close();
});

async function authorized(amount = '100', provider_id = 'pp_system_default') {
  const s = payments.service;
  const collection = await s.createPaymentCollections({ currency_code: 'usd', amount });
  const session = await s.createPaymentSession(collection.id, { provider_id, amount, currency_code: 'usd' });
  const payment = await s.authorizePaymentSession(session.id);
  return { collection, session, payment };
}

describe('deleting a session while it is being authorized (real PostgreSQL, many rounds)', () => {
  it('never leaves a payment for a deleted session, and the provider payment is deleted only when the session is', async () => {
    const s = payments.service;
    const outcomes = { deleted: 0, authorized: 0 };
    for (let round = 0; round < 40; round++) {
      const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '10' });
      const session = await s.createPaymentSession(collection.id, {
        provider_id: 'pp_slow_default',
        amount: '10',
        currency_code: 'usd',
      });
      SlowProvider.calls = [];
      const [authorize, remove] = await Promise.allSettled([
        s.authorizePaymentSession(session.id),
        s.deletePaymentSession(session.id),
      ]);
      const paymentsOfSession = await s.listPayments({ payment_session_id: session.id });
      const after = await s.retrievePaymentCollection(collection.id, { relations: ['payment_sessions'] });
      const providerDeletes = SlowProvider.calls.filter((c) => c.op === 'delete').length;
      if (remove.status === 'fulfilled') {
        outcomes.deleted++;
        expect(paymentsOfSession).toEqual([]);
        expect(after).toMatchObject({ status: 'not_paid', authorized_amount: '0', payment_sessions: [] });
        expect(authorize.status).toBe('rejected');
        expect(providerDeletes).toBe(1);
      } else {
        outcomes.authorized++;
        expect((remove.reason as TenderError).type).toBe('not_allowed');
        expect(authorize.status).toBe('fulfilled');
        expect(paymentsOfSession).toHaveLength(1);
        expect(after.status).toBe('authorized');
        expect(after.payment_sessions?.map((x) => x.id)).toEqual([session.id]);
        expect(providerDeletes).toBe(0);
      }
    }
    expect(outcomes.deleted + outcomes.authorized).toBe(40);
  });

  it('brings the session back when the provider refuses to delete its payment', async () => {
    const s = payments.service;
    const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '10' });
    const session = await s.createPaymentSession(collection.id, {
      provider_id: 'pp_slow_default',
      amount: '10',
      currency_code: 'usd',
    });
    const original = SlowProvider.prototype.deletePayment;
    SlowProvider.prototype.deletePayment = async () => {
      throw new Error('gateway down');
    };
    try {
      expect((await rejection(s.deletePaymentSession(session.id))).type).toBe('provider_error');
    } finally {
      SlowProvider.prototype.deletePayment = original;
    }
    expect((await s.retrievePaymentSession(session.id)).id).toBe(session.id);
    expect((await s.retrievePaymentCollection(collection.id)).status).toBe('awaiting');
    await s.deletePaymentSession(session.id);
    expect((await rejection(s.retrievePaymentSession(session.id))).type).toBe('not_found');
  });
});

describe("a session's currency is its collection's", () => {
  it('updatePaymentSession refuses another currency and changes nothing', async () => {
    const s = payments.service;
    const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '100' });
    const session = await s.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '100',
      currency_code: 'usd',
    });
    const error = await rejection(s.updatePaymentSession({ id: session.id, currency_code: 'eur', amount: '100' }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/"eur" does not match the collection's "usd"/);
    expect((await s.retrievePaymentSession(session.id)).currency_code).toBe('usd');
    // Upper case is the same currency.
    expect((await s.updatePaymentSession({ id: session.id, currency_code: 'USD', amount: '90' })).amount).toBe('90');
  });
});

describe('idempotency keys belong to (tenant, payment, operation)', () => {
  it('the same key on another payment is another capture', async () => {
    const a = await authorized('50');
    const b = await authorized('50');
    await payments.service.capturePayment({ payment_id: a.payment.id, amount: '20', idempotency_key: 'order-1' });
    const onB = await payments.service.capturePayment({ payment_id: b.payment.id, amount: '20', idempotency_key: 'order-1' });
    expect(onB.captured_amount).toBe('20');
    expect((await payments.service.retrievePayment(a.payment.id)).captured_amount).toBe('20');
  });

  it('a refund key does not answer for a capture of the same payment, nor the other way round', async () => {
    const { payment } = await authorized('50');
    await payments.service.capturePayment({ payment_id: payment.id, amount: '30', idempotency_key: 'k' });
    const refunded = await payments.service.refundPayment({ payment_id: payment.id, amount: '10', idempotency_key: 'k' });
    expect(refunded.refunded_amount).toBe('10');
  });

  it('the same key with other arguments is a conflict and moves no money', async () => {
    const { payment } = await authorized('50');
    await payments.service.capturePayment({ payment_id: payment.id, amount: '10', idempotency_key: 'cap-1' });
    for (const other of [{ amount: '15' }, {}, { amount: '10', captured_by: 'someone-else' }]) {
      const error = await rejection(
        payments.service.capturePayment({ payment_id: payment.id, idempotency_key: 'cap-1', ...other }),
      );
      expect(error.type).toBe('conflict');
      expect(error.message).toMatch(/"cap-1" was already used to capture a payment with other arguments/);
    }
    const same = await payments.service.capturePayment({ payment_id: payment.id, amount: '10', idempotency_key: 'cap-1' });
    expect(same.captures).toHaveLength(1);
    expect(same.captured_amount).toBe('10');

    await payments.service.refundPayment({ payment_id: payment.id, amount: '5', idempotency_key: 'ref-1' });
    const refundError = await rejection(
      payments.service.refundPayment({ payment_id: payment.id, amount: '6', idempotency_key: 'ref-1' }),
    );
    expect(refundError.type).toBe('conflict');
    expect((await payments.service.retrievePayment(payment.id)).refunded_amount).toBe('5');
  });

  it('the database holds keys unique per payment, not across the table', async () => {
    const rows = await payments.orm.em
      .fork()
      .execute<{ conname: string; def: string }[]>(
        `select conname, pg_get_constraintdef(oid) as def from pg_constraint where conrelid in ('capture'::regclass, 'refund'::regclass) and contype = 'u' order by conname`,
      );
    expect(rows).toEqual([
      { conname: 'capture_payment_id_idempotency_key_unique', def: 'UNIQUE (payment_id, idempotency_key)' },
      { conname: 'refund_payment_id_idempotency_key_unique', def: 'UNIQUE (payment_id, idempotency_key)' },
    ]);
  });
});

describe('capturing a fully captured payment', () => {
  it('with no amount returns it unchanged, without calling the provider or writing a row', async () => {
    const { payment } = await authorized('40', 'pp_slow_default');
    const full = await payments.service.capturePayment({ payment_id: payment.id });
    SlowProvider.calls = [];
    const again = await payments.service.capturePayment({ payment_id: payment.id });
    expect(again).toEqual(full);
    expect(SlowProvider.calls).toEqual([]);
    expect(await payments.service.listCaptures({ payment_id: payment.id })).toHaveLength(1);
  });

  it('20 concurrent "capture the rest" calls all resolve, with one capture', async () => {
    const { payment } = await authorized('40');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => payments.service.capturePayment({ payment_id: payment.id })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const after = await payments.service.retrievePayment(payment.id);
    expect(after.captured_amount).toBe('40');
    expect(after.captures).toHaveLength(1);
  });

  it('an explicit amount above what is left is still refused', async () => {
    const { payment } = await authorized('40');
    await payments.service.capturePayment({ payment_id: payment.id, amount: '30' });
    expect((await rejection(payments.service.capturePayment({ payment_id: payment.id, amount: '11' }))).type).toBe(
      'invalid_data',
    );
    await payments.service.capturePayment({ payment_id: payment.id });
    expect((await rejection(payments.service.capturePayment({ payment_id: payment.id, amount: '1' }))).type).toBe('not_allowed');
  });
});

describe('unsupported input is an invalid_data error naming it', () => {
  it('fields of updates and creates', async () => {
    const s = payments.service;
    const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '10' });
    const cases: [Promise<unknown>, RegExp][] = [
      [
        s.updatePaymentCollections(collection.id, { region_id: 'reg_1' } as never),
        /Unsupported payment collection field: "region_id"/,
      ],
      [s.createPaymentCollections({ currency_code: 'usd', amount: '1', colour: 'red' } as never), /"colour"/],
      [
        s.createPaymentSession(collection.id, {
          provider_id: 'pp_system_default',
          amount: '1',
          currency_code: 'usd',
          foo: 1,
        } as never),
        /"foo"/,
      ],
      [s.capturePayment({ payment_id: 'pay_x', is_captured: true } as never), /Unsupported capture field: "is_captured"/],
      [s.refundPayment({ payment_id: 'pay_x', reason: 'x' } as never), /Unsupported refund field: "reason"/],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      expect(error.type).toBe('invalid_data');
      expect(error.message).toMatch(message);
    }
    expect(await s.retrievePaymentCollection(collection.id)).toMatchObject({ amount: '10', metadata: null });
  });

  it('updatePaymentCollections changes currency_code while the collection has no sessions, and refuses after', async () => {
    const s = payments.service;
    const collection = await s.createPaymentCollections({ currency_code: 'usd', amount: '10' });
    expect((await s.updatePaymentCollections(collection.id, { currency_code: 'EUR' })).currency_code).toBe('eur');
    await s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount: '10', currency_code: 'eur' });
    const error = await rejection(s.updatePaymentCollections(collection.id, { currency_code: 'usd' }));
    expect(error.type).toBe('not_allowed');
    expect((await s.retrievePaymentCollection(collection.id)).currency_code).toBe('eur');
  });

  it('filters, relations, select fields and sort keys', async () => {
    const s = payments.service;
    const cases: [Promise<unknown>, RegExp][] = [
      [s.listPaymentCollections({ colour: 'red' } as never), /Unsupported payment collection filter: "colour"/],
      [s.listPayments({ amount: '1' } as never), /Unsupported payment filter: "amount"/],
      [s.listPaymentSessions({ data: {} } as never), /Unsupported payment session filter: "data"/],
      [s.listCaptures({ amount: '1' } as never), /Unsupported capture filter: "amount"/],
      [
        s.retrievePaymentCollection('pay_col_x', { relations: ['payments.captures.payment' as never] }),
        /Unsupported payment collection relation: "payments.captures.payment"/,
      ],
      [s.listPaymentCollections({}, { relations: ['cart' as never] }), /relation: "cart"/],
      [s.listPaymentCollections({}, { select: ['secret'] }), /select field: "secret"/],
      [s.listPaymentCollections({}, { order: { colour: 'ASC' } }), /sort key: "colour"/],
      [s.listPaymentCollections({}, { order: { created_at: 'UP' as never } }), /must be ASC or DESC/],
      [s.listPaymentCollections({}, { take: -1 }), /take must be a non-negative integer/],
      [s.listPaymentCollections({}, { limit: 5 } as never), /Unsupported payment collection option: "limit"/],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      expect(error.type).toBe('invalid_data');
      expect(error.message).toMatch(message);
    }
  });
});

describe('database constraints become TenderErrors', () => {
  it('an unknown refund_reason_id is not_found and leaves no refund', async () => {
    const { payment } = await authorized('20');
    await payments.service.capturePayment({ payment_id: payment.id });
    const error = await rejection(payments.service.refundPayment({ payment_id: payment.id, refund_reason_id: 'refr_missing' }));
    expect(error.type).toBe('not_found');
    expect(error.message).toMatch(/Refund reason refr_missing was not found/);
    expect((await payments.service.retrievePayment(payment.id)).refunds).toEqual([]);
  });

  it('a duplicate refund reason code is a conflict', async () => {
    await payments.service.createRefundReasons({ code: 'dup', label: 'Duplicate' });
    const error = await rejection(payments.service.createRefundReasons({ code: 'dup', label: 'Again' }));
    expect(error.type).toBe('conflict');
    expect(error.message).toMatch(/A refund reason with this code already exists/);
    expect(error.cause).toBeDefined();
  });

  it('a value too long for its column is invalid_data', async () => {
    const error = await rejection(payments.service.createRefundReasons({ code: 'x'.repeat(300), label: 'Long' }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/too long/);
  });
});
