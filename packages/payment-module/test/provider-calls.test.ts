import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CapturePaymentInput, InitiatePaymentInput, PaymentDataInput, RefundPaymentInput } from '@tender/core';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

/**
 * The system provider with a hand on each call: a test can hold a call open (to look at the database
 * meanwhile) or make the next one fail, and sees the idempotency key of every call.
 */
class ObservedProvider extends SystemPaymentProvider {
  static override identifier = 'observed';
  static keys: string[] = [];
  static gate: Promise<void> | undefined;
  static entered: (() => void) | undefined;
  static failNext = 0;

  private async observe(key: string | undefined): Promise<void> {
    ObservedProvider.keys.push(key ?? '(none)');
    ObservedProvider.entered?.();
    if (ObservedProvider.gate) await ObservedProvider.gate;
    if (ObservedProvider.failNext > 0) {
      ObservedProvider.failNext--;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
  }
  override async initiatePayment(input: InitiatePaymentInput) {
    await this.observe(input.context?.idempotency_key);
    return super.initiatePayment(input);
  }
  override async authorizePayment(input: PaymentDataInput) {
    await this.observe(input.context?.idempotency_key);
    return super.authorizePayment(input);
  }
  override async capturePayment(input: CapturePaymentInput) {
    await this.observe(input.context?.idempotency_key);
    return super.capturePayment(input);
  }
  override async refundPayment(input: RefundPaymentInput) {
    await this.observe(input.context?.idempotency_key);
    return super.refundPayment(input);
  }
}

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({ providers: [{ resolve: ObservedProvider, id: 'default' }] });
});
afterAll(async () => {
  await payments?.close();
});

/** Tries to lock the collection row from another connection without waiting. */
async function collectionIsLocked(collectionId: string): Promise<boolean> {
  try {
    await payments.orm.em.fork().transactional(async (em) => {
      await em.execute('select id from payment_collection where id = ? for update nowait', [collectionId]);
    });
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03' || /could not obtain lock/.test(String(error))) return true;
    throw error;
  }
}

async function whileProviderCallIsOpen(action: () => Promise<unknown>, collectionId: string): Promise<boolean> {
  let release!: () => void;
  ObservedProvider.gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const entered = new Promise<void>((resolve) => {
    ObservedProvider.entered = resolve;
  });
  const running = action();
  await entered;
  const locked = await collectionIsLocked(collectionId);
  ObservedProvider.gate = undefined;
  ObservedProvider.entered = undefined;
  release();
  await running;
  return locked;
}

describe('provider calls', () => {
  it('hold no database lock on the payment collection while the provider is being called', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'usd', amount: '10' });
    let sessionId = '';
    expect(
      await whileProviderCallIsOpen(async () => {
        sessionId = (
          await payments.service.createPaymentSession(collection.id, {
            provider_id: 'pp_observed_default',
            amount: '10',
            currency_code: 'usd',
          })
        ).id;
      }, collection.id),
    ).toBe(false);
    let paymentId = '';
    expect(
      await whileProviderCallIsOpen(async () => {
        paymentId = (await payments.service.authorizePaymentSession(sessionId)).id;
      }, collection.id),
    ).toBe(false);
    expect(await whileProviderCallIsOpen(() => payments.service.capturePayment({ payment_id: paymentId }), collection.id)).toBe(
      false,
    );
    expect(
      await whileProviderCallIsOpen(() => payments.service.refundPayment({ payment_id: paymentId, amount: '1' }), collection.id),
    ).toBe(false);
    // The probe itself can see a lock: inside a service transaction the row is locked.
    await payments.orm.em.fork().transactional(async (em) => {
      await em.execute('select id from payment_collection where id = ? for update', [collection.id]);
      expect(await collectionIsLocked(collection.id)).toBe(true);
    });
  });

  it('pass an idempotency key that stays the same when a failed capture is retried', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'usd', amount: '20' });
    const session = await payments.service.createPaymentSession(collection.id, {
      provider_id: 'pp_observed_default',
      amount: '20',
      currency_code: 'usd',
    });
    expect(ObservedProvider.keys.at(-1)).toBe(session.id);
    const payment = await payments.service.authorizePaymentSession(session.id);
    expect(ObservedProvider.keys.at(-1)).toBe(`${session.id}:authorize`);

    ObservedProvider.keys = [];
    ObservedProvider.failNext = 1;
    await expect(
      payments.service.capturePayment({ payment_id: payment.id, amount: '5', idempotency_key: 'order-9-capture' }),
    ).rejects.toMatchObject({
      type: 'provider_error',
    });
    const retried = await payments.service.capturePayment({
      payment_id: payment.id,
      amount: '5',
      idempotency_key: 'order-9-capture',
    });
    // The merchant's key, scoped to the payment and operation: the same key on another payment is another key there.
    expect(ObservedProvider.keys).toEqual([`${payment.id}:capture:order-9-capture`, `${payment.id}:capture:order-9-capture`]);
    expect(retried.captured_amount).toBe('5');
    expect(retried.captures.filter((c) => c.status === 'succeeded')).toHaveLength(1);
    // The failed attempt stays on record, and released what it had reserved.
    expect(retried.captures.map((c) => c.status)).toEqual(['failed', 'succeeded']);
    await payments.service.capturePayment({ payment_id: payment.id, amount: '15' });
    expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('completed');
  });
});
