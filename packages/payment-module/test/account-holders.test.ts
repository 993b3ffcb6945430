import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AbstractPaymentProvider } from '@tender/core';
import { rejection } from '@tender/core/testing';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { StripeProvider } from '@tender/provider-stripe';
import { type StripeEmulator, startStripeEmulator, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

/** A provider with no account holders or saved methods at all. */
class PlainProvider extends AbstractPaymentProvider {
  static override identifier = 'plain';
  initiatePayment = async () => ({ id: 'x' });
  authorizePayment = async () => ({ status: 'authorized' as const });
  capturePayment = async () => ({});
  refundPayment = async () => ({});
  cancelPayment = async () => ({});
  getPaymentStatus = async () => ({ status: 'authorized' as const });
  getWebhookActionAndData = async () => ({ action: 'not_supported' as const });
}

let emulator: StripeEmulator;
let payments: TestPaymentModule;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  payments = await createTestPaymentModule({
    providers: [
      { resolve: SystemPaymentProvider, id: 'default' },
      { resolve: PlainProvider, id: 'default' },
      {
        resolve: StripeProvider,
        id: 'stripe',
        options: { apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, retryDelayMs: 1, ...emulator.options },
      },
    ],
  });
});
afterAll(async () => {
  await payments?.close();
  await emulator?.close();
});

const customer = (id: string) => ({ id, email: `${id}@example.com`, name: 'Ada Lovelace' });

describe.each([
  ['the system provider (locally)', 'pp_system_default'],
  ['Stripe (its API, through the emulator)', 'pp_stripe_stripe'],
])('account holders and payment methods with %s', (_name, provider_id) => {
  it('creates an account holder once, updates it, saves, lists and deletes payment methods, deletes it', async () => {
    const s = payments.service;
    const holder = await s.createAccountHolder({ provider_id, context: { customer: customer(`cust_${provider_id}`) } });
    expect(holder).toMatchObject({ provider_id, email: `cust_${provider_id}@example.com`, metadata: null });
    expect(holder.external_id).toBe(holder.data.id);
    expect(await s.createAccountHolder({ provider_id, context: { customer: customer(`cust_${provider_id}`) } })).toEqual(holder);

    const updated = await s.updateAccountHolder({
      id: holder.id,
      context: { customer: { id: 'ignored', email: 'new@example.com' } },
      metadata: { tier: 'gold' },
    });
    expect(updated).toMatchObject({ id: holder.id, email: 'new@example.com', metadata: { tier: 'gold' } });
    expect(updated.data.email).toBe('new@example.com');

    const context = { account_holder: { id: holder.id } };
    const saved = await s.createPaymentMethods({ provider_id, context, data: {} });
    expect(saved.provider_id).toBe(provider_id);
    const [two] = await s.createPaymentMethods([{ provider_id, context: { account_holder: { data: holder.data } } }]);
    expect(two!.id).not.toBe(saved.id);

    let methodIds: string[];
    if (provider_id === 'pp_stripe_stripe') {
      // Stripe saves a method when the storefront confirms the SetupIntent; the emulator stands in for that.
      expect(saved.id).toMatch(/^seti_/);
      methodIds = [
        emulator.createPaymentMethod({ customer: holder.external_id }).id as string,
        emulator.createPaymentMethod({ customer: holder.external_id }).id as string,
      ];
    } else {
      methodIds = [saved.id, two!.id];
    }
    const listed = await s.listPaymentMethods({ provider_id, context });
    expect(listed.map((m) => m.id).sort()).toEqual([...methodIds].sort());
    const [page, count] = await s.listAndCountPaymentMethods({ provider_id, context }, { take: 1 });
    expect([page.length, count]).toEqual([1, 2]);

    await s.deletePaymentMethods({ provider_id, id: methodIds[0]!, context });
    await s.deletePaymentMethods([{ provider_id, id: methodIds[0]!, context }]); // twice is fine
    expect((await s.listPaymentMethods({ provider_id, context })).map((m) => m.id)).toEqual([methodIds[1]]);

    await s.deleteAccountHolder(holder.id);
    expect((await rejection(s.listPaymentMethods({ provider_id, context }))).type).toBe('not_found');
    expect((await rejection(s.deleteAccountHolder(holder.id))).type).toBe('not_found');
  });
});

describe('account holder and payment method errors', () => {
  it('refuses bad input, unknown holders and providers without the feature', async () => {
    const s = payments.service;
    const cases: [Promise<unknown>, string, RegExp][] = [
      [s.createAccountHolder({ provider_id: 'pp_system_default', context: {} }), 'invalid_data', /context.customer/],
      [
        s.createAccountHolder({ provider_id: 'pp_system_default', context: { customer: customer('c') }, colour: 1 } as never),
        'invalid_data',
        /"colour"/,
      ],
      [
        s.createAccountHolder({ provider_id: 'pp_plain_default', context: { customer: customer('c') } }),
        'not_allowed',
        /does not support account holders/,
      ],
      [
        s.createAccountHolder({ provider_id: 'pp_nope_default', context: { customer: customer('c') } }),
        'not_found',
        /not registered/,
      ],
      [s.updateAccountHolder({ id: 'acchld_missing' }), 'not_found', /acchld_missing was not found/],
      [s.listPaymentMethods({ provider_id: 'pp_system_default', context: {} }), 'invalid_data', /context.account_holder/],
      [
        s.listPaymentMethods({ provider_id: 'pp_system_default', context: { account_holder: { id: 'acchld_missing' } } }),
        'not_found',
        /was not found/,
      ],
      [
        s.createPaymentMethods({ provider_id: 'pp_plain_default', context: { account_holder: { data: { id: 'x' } } } }),
        'not_allowed',
        /saved payment methods/,
      ],
      [
        s.deletePaymentMethods({
          provider_id: 'pp_system_default',
          context: { account_holder: { data: { id: 'sys_cus_x' } } },
        } as never),
        'invalid_data',
        /payment method id/,
      ],
    ];
    for (const [call, type, message] of cases) {
      const error = await rejection(call);
      expect([error.type, error.message]).toEqual([type, expect.stringMatching(message)]);
    }
    const holder = await s.createAccountHolder({ provider_id: 'pp_system_default', context: { customer: customer('mismatch') } });
    const wrong = await rejection(
      s.listPaymentMethods({ provider_id: 'pp_stripe_stripe', context: { account_holder: { id: holder.id } } }),
    );
    expect(wrong.message).toMatch(/belongs to pp_system_default/);
  });
});
