import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PaymentProviderClass } from '@tender/core';
import { fromStripeAmount, STRIPE_PROVIDERS, type StripeProviderOptions, toStripeAmount } from '@tender/provider-stripe';
import { type StripeEmulator, startStripeEmulator } from '@tender/provider-stripe/testing';
import { sessionId } from '@tender/provider-testkit';
import { providerFor } from './support.js';

describe('variants', () => {
  it('are provider classes the module can register, validating options on their own', () => {
    const classes: PaymentProviderClass<StripeProviderOptions>[] = [...STRIPE_PROVIDERS];
    for (const Provider of classes) {
      expect(() => Provider.validateOptions({})).toThrow(/apiKey is required/);
    }
  });

  it('register as Medusa does: pp_{identifier}_stripe', () => {
    expect(STRIPE_PROVIDERS.map((Provider) => `pp_${Provider.identifier}_stripe`)).toEqual([
      'pp_stripe_stripe',
      'pp_stripe-bancontact_stripe',
      'pp_stripe-blik_stripe',
      'pp_stripe-ideal_stripe',
      'pp_stripe-przelewy24_stripe',
      'pp_stripe-promptpay_stripe',
      'pp_stripe-oxxo_stripe',
      'pp_stripe-multibanco_stripe',
      'pp_stripe-mbway_stripe',
    ]);
  });

  describe('against the emulator', () => {
    let emulator: StripeEmulator;
    beforeAll(async () => {
      emulator = await startStripeEmulator();
    });
    afterAll(async () => {
      await emulator.close();
    });

    const expected: Record<string, string> = {
      stripe: 'card',
      'stripe-bancontact': 'bancontact',
      'stripe-blik': 'blik',
      'stripe-ideal': 'ideal',
      'stripe-przelewy24': 'p24',
      'stripe-promptpay': 'promptpay',
      'stripe-oxxo': 'oxxo',
      'stripe-multibanco': 'multibanco',
      'stripe-mbway': 'mb_way',
    };

    it.each(STRIPE_PROVIDERS.map((Provider) => [Provider.identifier, Provider] as const))(
      '%s creates PaymentIntents for its payment method',
      async (identifier, Provider) => {
        const provider = providerFor(emulator, {}, Provider);
        const { id } = await provider.initiatePayment({ amount: '10', currency_code: 'eur', session_id: sessionId() });
        const intent = emulator.paymentIntent(id);
        expect(intent.allowed_payment_method_types).toEqual([expected[identifier]]);
        // Only cards hold an authorization to capture later; redirect and voucher methods capture at once.
        expect(intent.capture_method).toBe(identifier === 'stripe' ? 'manual' : 'automatic');
      },
    );
  });
});

describe("Stripe's currency exponents", () => {
  it.each([
    ['10.50', 'eur', 1050],
    ['500', 'jpy', 500],
    ['1.234', 'kwd', 1234],
    ['1000', 'isk', 100000],
    ['1000', 'mga', 1000],
  ])('%s %s ↔ %i', (amount, currency, minor) => {
    expect(toStripeAmount(amount, currency)).toBe(minor);
    expect(toStripeAmount(fromStripeAmount(minor, currency), currency)).toBe(minor);
  });

  it('refuses to round', () => {
    expect(() => toStripeAmount('10.5', 'mga')).toThrow(/decimal places/);
    expect(() => toStripeAmount('1.0005', 'kwd')).toThrow(/decimal places/);
  });
});
