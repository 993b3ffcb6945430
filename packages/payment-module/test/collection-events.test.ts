import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

let payments: TestPaymentModule;
const received: DomainEvent[] = [];

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [{ resolve: SystemPaymentProvider, id: 'default' }],
    worker: false,
    outbox: { pollIntervalMs: 20 },
  });
  payments.events.subscribe('payment_collection.updated', (event) => {
    received.push(event);
  });
});
afterAll(async () => {
  await payments?.close();
});

describe('payment_collection.updated', () => {
  it('is delivered once per update, with the collection as the update left it; a refused update writes none', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '10.00' });
    await payments.service.updatePaymentCollections(collection.id, { amount: '12.50' });
    await payments.events.drain();
    const mine = () => received.filter((e) => e.payment_collection_id === collection.id);
    expect(mine()).toEqual([
      expect.objectContaining({
        name: 'payment_collection.updated',
        data: { id: collection.id, amount: '12.5', currency_code: 'eur', status: 'not_paid' },
      }),
    ]);

    // A session in euros: the currency can no longer change, and the refused update leaves no event.
    await payments.service.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '12.50',
      currency_code: 'eur',
    });
    await expect(payments.service.updatePaymentCollections(collection.id, { currency_code: 'usd' })).rejects.toMatchObject({
      type: 'not_allowed',
    });
    await payments.events.drain();
    expect(mine()).toHaveLength(1);
  });
});
