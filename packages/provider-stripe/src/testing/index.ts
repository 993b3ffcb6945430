export { EmulatedStripeError } from './emulated-error.js';
export {
  type EmulatedFailure,
  type RecordedRequest,
  type StripeEmulator,
  type StripeEmulatorOptions,
  startStripeEmulator,
} from './emulator.js';
export { type PaymentIntentStatus, TEST_PAYMENT_METHODS } from './emulator-store.js';
export { buildStripeObject, fixtureKindForEvent, type StripeObject, stripeId } from './objects.js';
export { STRIPE_FIXTURES, type StripeFixtureKind } from './stripe-fixtures.js';
export {
  buildEventObject,
  type CreateStripeWebhookInput,
  createStripeWebhook,
  type StripeWebhookDelivery,
  toProviderWebhookPayload,
} from './webhook.js';

/** A signing secret for tests and the demo (never a real one). */
export const TEST_WEBHOOK_SECRET = 'whsec_tender_test_0123456789abcdef';
/** An API key the emulator accepts. */
export const TEST_API_KEY = 'sk_test_tender_emulator';
