import { afterAll, beforeAll } from '@jest/globals';
import { type PaymentAction, toMinorUnits } from '@tender/core';
import { StripeProvider } from '@tender/provider-stripe';
import {
  createStripeWebhook,
  type StripeEmulator,
  startStripeEmulator,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
} from '@tender/provider-stripe/testing';
import { type ConformanceWebhookEvent, runProviderConformance } from '@tender/provider-testkit';
import { providerFor } from './support.js';

// The provider conformance suite on Stripe: the real SDK against the local emulator, events built from
// Stripe's own example objects and signed with the SDK's test header.

let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

/** The event type (and the PaymentIntent's fields) for each action the suite asks for. */
const EVENTS: Partial<Record<PaymentAction, { type: string; fields: (minor: number) => Record<string, unknown> }>> = {
  captured: { type: 'payment_intent.succeeded', fields: (minor) => ({ status: 'succeeded', amount_received: minor }) },
  authorized: {
    type: 'payment_intent.amount_capturable_updated',
    fields: (minor) => ({ status: 'requires_capture', amount_capturable: minor }),
  },
  failed: { type: 'payment_intent.payment_failed', fields: () => ({ status: 'requires_payment_method' }) },
  canceled: { type: 'payment_intent.canceled', fields: () => ({ status: 'canceled' }) },
  not_supported: { type: 'customer.created', fields: () => ({}) },
};

function signedWebhook(event: ConformanceWebhookEvent, sign: { secret?: string; timestamp?: number }) {
  const spec = EVENTS[event.action];
  if (!spec) throw new Error(`no Stripe event for ${event.action}`);
  const minor = toMinorUnits(event.amount, event.currency_code, 'exact');
  const object =
    event.action === 'not_supported'
      ? { id: `cus_${event.event_id}`, object: 'customer' }
      : {
          id: `pi_${event.event_id.replace(/-/g, '')}`,
          object: 'payment_intent',
          amount: minor,
          currency: event.currency_code.toLowerCase(),
          metadata: { session_id: event.session_id },
          ...spec.fields(minor),
        };
  return createStripeWebhook({
    secret: sign.secret ?? TEST_WEBHOOK_SECRET,
    type: spec.type,
    object,
    id: event.event_id,
    timestamp: sign.timestamp,
  });
}

const validOptions = { apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET };

runProviderConformance(() => providerFor(emulator), {
  providerClass: StripeProvider,
  validOptions,
  invalidOptions: [
    { options: { webhookSecret: TEST_WEBHOOK_SECRET }, mentions: 'apiKey' },
    { options: { apiKey: TEST_API_KEY }, mentions: 'webhookSecret' },
    {
      options: { ...validOptions, webhookSecret: 'whsec_!!!!!!!!!!' },
      mentions: 'webhookSecret',
      description: 'webhookSecret (no key)',
    },
  ],
  signedWebhook,
  signatureHeaders: ['stripe-signature'],
  replayToleranceSeconds: 300,
  webhookActions: ['captured', 'authorized', 'failed', 'canceled', 'not_supported'],
  payment: { amount: '10.50', currency_code: 'EUR' },
  // The storefront confirms the PaymentIntent with a card; a manual-capture intent then awaits its capture.
  customerPays: ({ id }) => emulator.setPaymentIntentStatus(id, 'requires_capture'),
});
