import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessionStatusFromPaymentIntent } from '@tender/provider-stripe';
import {
  type PaymentIntentStatus,
  type StripeEmulator,
  type StripeObject,
  startStripeEmulator,
} from '@tender/provider-stripe/testing';
import { sessionId } from '@tender/provider-testkit';
import { providerFor } from './support.js';

let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const declined = { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' };

const cases: Array<[string, PaymentIntentStatus, StripeObject | undefined, string]> = [
  ['requires_payment_method, nothing tried yet', 'requires_payment_method', undefined, 'pending'],
  ['requires_payment_method after a failed attempt', 'requires_payment_method', { last_payment_error: declined }, 'error'],
  ['requires_confirmation', 'requires_confirmation', undefined, 'pending'],
  ['requires_action (3-D Secure, redirect)', 'requires_action', undefined, 'requires_more'],
  ['processing a card', 'processing', { processing: { type: 'card', card: { customer_notification: null } } }, 'pending'],
  ['processing an async method (SEPA debit)', 'processing', { processing: { type: 'sepa_debit' } }, 'pending_authorization'],
  ['processing an async method (no processing details)', 'processing', { processing: null }, 'pending_authorization'],
  ['requires_capture', 'requires_capture', undefined, 'authorized'],
  ['succeeded', 'succeeded', undefined, 'captured'],
  ['canceled', 'canceled', undefined, 'canceled'],
];

describe('PaymentIntent status → session status, read from Stripe', () => {
  it.each(cases)('%s', async (_label, status, patch, expected) => {
    const provider = providerFor(emulator);
    const created = await provider.initiatePayment({ amount: '10', currency_code: 'usd', session_id: sessionId() });
    emulator.setPaymentIntentStatus(created.id, status, patch);
    const data = created.data ?? {};
    const fromStatus = await provider.getPaymentStatus({ data });
    const fromAuthorize = await provider.authorizePayment({ data });
    expect(fromStatus.status).toBe(expected);
    expect(fromAuthorize.status).toBe(expected);
    expect(fromStatus.data?.status).toBe(status);
  });

  it('keeps a session open for a status a future API version might add', () => {
    expect(
      sessionStatusFromPaymentIntent({ status: 'requires_reconfirmation' as never, last_payment_error: null, processing: null }),
    ).toBe('pending');
  });
});
