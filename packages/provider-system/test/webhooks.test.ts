import { describe, expect, it } from '@jest/globals';
import { rejection } from '@tender/core/testing';
import { SystemPaymentProvider, type SystemProviderOptions } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';

const SECRET = 'system-webhooks-test-secret';
const provider = new SystemPaymentProvider(
  {},
  SystemPaymentProvider.validateOptions({ webhookSecrets: [SECRET] }) as SystemProviderOptions,
);

function read(input: { type: string; amount?: string; currency_code?: string }) {
  const delivery = createSystemWebhook({ secret: SECRET, session_id: 'ps_1', ...input });
  return provider.getWebhookActionAndData({
    data: {},
    rawData: delivery.rawBody,
    headers: delivery.headers,
    query: {},
    method: 'POST',
  });
}

describe('system webhooks: amounts are verified before they are trusted', () => {
  it.each([
    ['a negative amount', 'payment.captured', '-10.00', /greater than zero/],
    ['a zero capture', 'payment.captured', '0.00', /greater than zero/],
    ['a zero refund', 'payment.refunded', '0', /greater than zero/],
    ['a negative failure', 'payment.failed', '-1', /greater than zero/],
    ['an exponent', 'payment.authorized', '1e2', /not a decimal number/],
    ['more decimals than the currency has', 'payment.captured', '10.001', /more decimals than EUR/],
  ])('refuses %s with invalid_data (a 400)', async (_label, type, amount, message) => {
    const error = await rejection(read({ type, amount, currency_code: 'EUR' }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(message);
  });

  it('reports the amount in the currency it names, so the module can check both against the session', async () => {
    const result = await read({ type: 'payment.captured', amount: '25', currency_code: 'EUR' });
    expect(result.data).toEqual({ session_id: 'ps_1', amount: '25.00', currency_code: 'eur' });
    expect((await read({ type: 'payment.failed', amount: '0', currency_code: 'usd' })).data?.amount).toBe('0.00');
  });

  it('refuses an unknown currency code', async () => {
    expect((await rejection(read({ type: 'payment.captured', amount: '1.00', currency_code: 'EURO' }))).type).toBe(
      'invalid_data',
    );
  });
});

describe('system provider options', () => {
  it('refuses a webhook secret under 16 bytes, saying how to make one', () => {
    expect(() => SystemPaymentProvider.validateOptions({ webhookSecrets: ['fifteen-chars!!'] })).toThrow(
      /webhookSecrets\.0: .*15 bytes.*openssl rand -hex 32/,
    );
    expect(() => SystemPaymentProvider.validateOptions({ webhookSecrets: ['x'.repeat(32)] })).toThrow(/one byte repeated/);
  });
});
