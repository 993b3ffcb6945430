import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { rejection } from '@tender/core/testing';
import { createPaymentModule } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({ providers: [{ resolve: SystemPaymentProvider, id: 'default' }] });
});
afterAll(async () => {
  await payments?.close();
});

const TABLES = ['payment_collection', 'payment_session', 'payment', 'capture', 'refund', 'webhook_event'];

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await payments.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ${table}`);
    counts[table] = Number(row!.n);
  }
  return counts;
}

async function expectTenderError(promise: Promise<unknown>, type: string, message: RegExp): Promise<void> {
  const error = await rejection(promise);
  expect(error.type).toBe(type);
  expect(error.message).toMatch(message);
}

describe('bad input gets a typed TenderError and leaves the database unchanged', () => {
  it('rejects each bad call', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'usd', amount: '10' });
    const before = await rowCounts();
    const s = payments.service;
    await expectTenderError(
      s.createPaymentSession(collection.id, { provider_id: 'pp_nope_default', amount: '10', currency_code: 'usd' }),
      'not_found',
      /Payment provider "pp_nope_default" is not registered \(registered: pp_system_default\)/,
    );
    await expectTenderError(
      s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount: '-5', currency_code: 'usd' }),
      'invalid_data',
      /amount must be greater than zero/,
    );
    await expectTenderError(
      s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount: 'ten', currency_code: 'usd' }),
      'invalid_data',
      /"ten" is not a decimal number/,
    );
    await expectTenderError(
      s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount: 10.5, currency_code: 'usd' }),
      'invalid_data',
      /decimal strings/,
    );
    await expectTenderError(
      s.createPaymentSession(collection.id, { provider_id: 'pp_system_default', amount: '10', currency_code: 'eur' }),
      'invalid_data',
      /does not match the collection's "usd"/,
    );
    await expectTenderError(
      s.createPaymentCollections({ currency_code: 'xxx', amount: '1' }),
      'invalid_data',
      /Unknown currency code/,
    );
    await expectTenderError(
      s.createPaymentCollections({ currency_code: 'usd', amount: '-1' }),
      'invalid_data',
      /greater than zero/,
    );
    await expectTenderError(s.retrievePaymentCollection('pay_col_missing'), 'not_found', /pay_col_missing was not found/);
    await expectTenderError(s.authorizePaymentSession('payses_missing'), 'not_found', /payses_missing was not found/);
    await expectTenderError(s.capturePayment({ payment_id: 'pay_missing' }), 'not_found', /pay_missing was not found/);
    await expectTenderError(
      s.refundPayment({ payment_id: 'pay_missing', amount: '1' }),
      'not_found',
      /pay_missing was not found/,
    );
    await expectTenderError(s.cancelPayment('pay_missing'), 'not_found', /pay_missing was not found/);
    expect(await rowCounts()).toEqual(before);
  });

  it('rejects invalid provider options at start-up, naming the provider and the option, before connecting', async () => {
    const error = await createPaymentModule({
      databaseUrl: 'postgresql://nobody@127.0.0.1:1/none',
      providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: ['short'] } }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenderError);
    expect((error as TenderError).message).toMatch(/Invalid options for payment provider "system": webhookSecrets\.0:/);
  });

  it('rejects a provider registration without a valid id', async () => {
    const error = await createPaymentModule({
      databaseUrl: 'postgresql://nobody@127.0.0.1:1/none',
      providers: [{ resolve: SystemPaymentProvider, id: 'bad_id' }],
    }).catch((e: unknown) => e);
    expect((error as TenderError).message).toMatch(/needs an `id` of letters, digits and "-"/);
  });
});
