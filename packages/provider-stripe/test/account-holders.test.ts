import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type StripeEmulator, startStripeEmulator } from '@tender/provider-stripe/testing';
import { lastRequest, providerFor } from './support.js';

let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

const customer = { id: 'cus_tender_42', email: 'ada@example.com', name: 'Ada Lovelace' };

describe('account holders as Stripe customers', () => {
  it('creates a customer once per Tender customer, with the caller idempotency key', async () => {
    const provider = providerFor(emulator);
    const holder = await provider.createAccountHolder({ context: { customer, idempotency_key: 'holder-42' } });
    expect(holder.id).toMatch(/^cus_/);
    expect(emulator.customer(holder.id)).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      metadata: { tender_customer_id: 'cus_tender_42' },
    });
    expect(lastRequest(emulator, 'POST', /^\/v1\/customers$/).idempotencyKey).toBe('holder-42');

    const again = await provider.createAccountHolder({ context: { customer } });
    const third = await provider.createAccountHolder({ context: { customer } });
    expect(third.id).toBe(again.id);
  });

  it('returns the existing account holder without calling Stripe', async () => {
    const provider = providerFor(emulator);
    const existing = { id: 'cus_existing', data: { id: 'cus_existing' } };
    await expect(provider.createAccountHolder({ context: { customer, account_holder: existing } })).resolves.toEqual(existing);
    expect(emulator.requests).toHaveLength(0);
  });

  it('updates and deletes the customer; deleting twice is fine', async () => {
    const provider = providerFor(emulator);
    const holder = await provider.createAccountHolder({ context: { customer } });
    await provider.updateAccountHolder({
      context: { customer: { ...customer, email: 'ada@analytical.example' } },
      data: holder.data ?? {},
    });
    expect(emulator.customer(holder.id).email).toBe('ada@analytical.example');
    await provider.deleteAccountHolder({ data: holder.data ?? {} });
    expect(() => emulator.customer(holder.id)).toThrow(/No such customer/);
    await expect(provider.deleteAccountHolder({ data: holder.data ?? {} })).resolves.toBeUndefined();
  });

  it('lists the customer payment methods', async () => {
    const provider = providerFor(emulator);
    const holder = await provider.createAccountHolder({ context: { customer } });
    const visa = emulator.createPaymentMethod({ customer: holder.id, last4: '4242' });
    const other = emulator.createPaymentMethod({ customer: holder.id, last4: '0005' });
    emulator.createPaymentMethod({ last4: '9999' });
    const methods = await provider.listPaymentMethods({ account_holder_data: holder.data ?? {} });
    expect(methods.map((method) => method.id).sort()).toEqual([visa.id, other.id].sort());
    expect(methods.find((method) => method.id === visa.id)?.data).toMatchObject({ type: 'card', card: { last4: '4242' } });
  });

  it('starts saving a payment method with a SetupIntent for the customer', async () => {
    const provider = providerFor(emulator);
    const holder = await provider.createAccountHolder({ context: { customer } });
    const saved = await provider.savePaymentMethod({ account_holder_data: holder.data ?? {} });
    expect(saved.id).toMatch(/^seti_/);
    expect(saved.data).toMatchObject({
      customer: holder.id,
      usage: 'off_session',
      client_secret: expect.stringContaining(saved.id),
    });
  });

  it('says which id is missing', async () => {
    const provider = providerFor(emulator);
    await expect(provider.listPaymentMethods({ account_holder_data: {} })).rejects.toThrow(/Customer id/);
  });
});
