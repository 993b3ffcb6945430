import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { thrown } from '@tender/core/testing';
import { StripeProvider, stripeOptionsSchema } from '@tender/provider-stripe';
import { type StripeEmulator, startStripeEmulator, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';
import { sessionId } from '@tender/provider-testkit';
import { providerFor } from './support.js';

const NEW_SECRET = 'whsec_newSigningSecret0123456789abcd';
const OLD_SECRET = 'whsec_oldSigningSecret0123456789abcd';

/** The TenderError validateOptions refuses `options` with. */
const validationError = (options: unknown) => thrown(() => StripeProvider.validateOptions(options));

describe('options', () => {
  it('applies defaults: manual capture, no telemetry, 300 s tolerance, secrets as a list', () => {
    const options = StripeProvider.validateOptions({ apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET });
    expect(options).toMatchObject({
      capture: false,
      automaticPaymentMethods: false,
      telemetry: false,
      tolerance: 300,
      webhookSecret: [TEST_WEBHOOK_SECRET],
    });
  });

  it('a missing apiKey is an error naming apiKey', () => {
    const error = validationError({ webhookSecret: TEST_WEBHOOK_SECRET });
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/apiKey is required/);
    expect(error.message).toMatch(/"stripe"/);
  });

  it('a missing webhookSecret is a start-up error naming webhookSecret, not a warning', () => {
    expect(validationError({ apiKey: TEST_API_KEY }).message).toMatch(/webhookSecret is required/);
    expect(validationError({ apiKey: TEST_API_KEY, webhookSecret: [] }).message).toMatch(/webhookSecret/);
    expect(() => new StripeProvider({}, { apiKey: TEST_API_KEY })).toThrow(/webhookSecret is required/);
  });

  it('refuses a publishable key, and a live key over plain http', () => {
    expect(validationError({ apiKey: 'pk_test_123', webhookSecret: TEST_WEBHOOK_SECRET }).message).toMatch(/publishable key/);
    expect(validationError({ apiKey: 'sk_live_123', webhookSecret: TEST_WEBHOOK_SECRET, apiProtocol: 'http' }).message).toMatch(
      /apiProtocol/,
    );
  });

  it('never echoes the key in an error', () => {
    const error = validationError({ apiKey: 'pk_live_SECRETVALUE', webhookSecret: TEST_WEBHOOK_SECRET });
    expect(error.message).not.toContain('SECRETVALUE');
  });

  it('accepts several webhook secrets and a string port (from the environment)', () => {
    const parsed = stripeOptionsSchema.parse({
      apiKey: TEST_API_KEY,
      webhookSecret: [NEW_SECRET, OLD_SECRET],
      apiPort: '12111',
    });
    expect(parsed.webhookSecret).toEqual([NEW_SECRET, OLD_SECRET]);
    expect(parsed.apiPort).toBe(12111);
  });

  it('refuses a signing secret with fewer than 16 bytes after whsec_, saying where the real one is', () => {
    // Base64 of "!!!!!!!!!!" decodes to nothing: an empty key in any scheme that decodes it.
    const empty = validationError({ apiKey: TEST_API_KEY, webhookSecret: 'whsec_!!!!!!!!!!' });
    expect(empty.message).toMatch(/webhookSecret: the secret has, after "whsec_", 10 bytes, fewer than the 16/);
    expect(empty.message).toMatch(/Stripe dashboard \(Developers > Webhooks\) or from `stripe listen`/);
    expect(empty.message).not.toContain('!!!!!!!!!!');
    const rotation = validationError({ apiKey: TEST_API_KEY, webhookSecret: [NEW_SECRET, 'whsec_short'] });
    expect(rotation.message).toMatch(/webhookSecret\.1: the secret has, after "whsec_", 5 bytes/);
    expect(validationError({ apiKey: TEST_API_KEY, webhookSecret: `whsec_${'0'.repeat(32)}` }).message).toMatch(
      /one byte repeated/,
    );
  });
});

describe('telemetry', () => {
  let emulator: StripeEmulator;
  beforeAll(async () => {
    emulator = await startStripeEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('sends no client telemetry by default, and sends it when enabled', async () => {
    for (const telemetry of [false, true]) {
      emulator.reset();
      const provider = providerFor(emulator, { telemetry });
      await provider.initiatePayment({ amount: '1', currency_code: 'usd', session_id: sessionId() });
      await provider.initiatePayment({ amount: '1', currency_code: 'usd', session_id: sessionId() });
      expect(emulator.requests[1]?.clientTelemetry !== undefined).toBe(telemetry);
    }
  });
});
