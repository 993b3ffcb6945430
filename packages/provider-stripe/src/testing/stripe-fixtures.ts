// Stripe's own example objects, copied from the `openapi/fixtures3.json` file of Stripe's public OpenAPI
// repository (github.com/stripe/openapi, commit f6c2a48f; MIT licence, Stripe). The emulator and the webhook
// builder start from these so every object keeps Stripe's real shape. Do not edit by hand.

import { CHARGE, DISPUTE, REFUND } from './fixtures/charges.js';
import { CUSTOMER, PAYMENT_METHOD, SETUP_INTENT } from './fixtures/customers.js';
import { EVENT } from './fixtures/event.js';
import { CHECKOUT_SESSION, PAYMENT_INTENT } from './fixtures/payments.js';

export type StripeFixtureKind =
  | 'payment_intent'
  | 'charge'
  | 'refund'
  | 'checkout.session'
  | 'dispute'
  | 'event'
  | 'customer'
  | 'payment_method'
  | 'setup_intent';

export const STRIPE_FIXTURES: Readonly<Record<StripeFixtureKind, Record<string, unknown>>> = {
  payment_intent: PAYMENT_INTENT,
  charge: CHARGE,
  refund: REFUND,
  'checkout.session': CHECKOUT_SESSION,
  dispute: DISPUTE,
  event: EVENT,
  customer: CUSTOMER,
  payment_method: PAYMENT_METHOD,
  setup_intent: SETUP_INTENT,
};
