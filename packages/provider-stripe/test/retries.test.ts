import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type StripeEmulator, startStripeEmulator } from '@tender/provider-stripe/testing';
import { sessionId } from '@tender/provider-testkit';
import { providerFor } from './support.js';

let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

const creates = () => emulator.requests.filter((request) => request.path === '/v1/payment_intents');

describe('retries', () => {
  it('retries 429 rate limits with the same idempotency key, then succeeds', async () => {
    const provider = providerFor(emulator, { maxRetries: 2 });
    emulator.failNext(2, 'rate_limit');
    const session = sessionId();
    const result = await provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: session });
    expect(result.id).toMatch(/^pi_/);
    expect(creates().map((r) => r.status)).toEqual([429, 429, 200]);
    expect(new Set(creates().map((r) => r.idempotencyKey))).toEqual(new Set([`tender:initiate:${session}`]));
  });

  it('retries dropped connections and the retry creates exactly one PaymentIntent', async () => {
    const provider = providerFor(emulator, { maxRetries: 2 });
    emulator.failNext(3, 'connection_reset');
    const result = await provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() });
    expect(creates().filter((r) => r.injected === 'connection_reset')).toHaveLength(3);
    expect(creates().at(-1)?.status).toBe(200);
    expect(emulator.paymentIntent(result.id).amount).toBe(1000);
  });

  it('gives up after maxRetries and reports Stripe as unavailable', async () => {
    const provider = providerFor(emulator, { maxRetries: 1 });
    emulator.failNext(5, 'rate_limit');
    await expect(provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() })).rejects.toMatchObject(
      {
        type: 'unavailable',
        message: expect.stringMatching(/rate-limited/),
      },
    );
    expect(creates()).toHaveLength(2);
  });

  it('does not retry a server error', async () => {
    const provider = providerFor(emulator, { maxRetries: 3 });
    emulator.failNext(1, 'server_error');
    await expect(provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() })).rejects.toMatchObject(
      {
        type: 'provider_error',
      },
    );
    expect(creates()).toHaveLength(1);
  });

  it('does not retry a request Stripe refused', async () => {
    const provider = providerFor(emulator, { maxRetries: 3 });
    const created = await provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() });
    await expect(provider.refundPayment({ data: created.data ?? {}, amount: '1', currency_code: 'usd' })).rejects.toMatchObject({
      type: 'invalid_data',
    });
    expect(emulator.requests.filter((request) => request.path === '/v1/refunds')).toHaveLength(1);
  });
});
