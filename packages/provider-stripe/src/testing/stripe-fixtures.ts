// Stripe's own example objects, copied from the `openapi/fixtures3.json` file of Stripe's public OpenAPI
// repository (github.com/stripe/openapi, commit f6c2a48f; MIT licence, Stripe). The emulator and the webhook
// builder start from these so every object keeps Stripe's real shape. They are data, kept as JSON
// (stripe-fixtures.json, one object per kind): do not edit by hand.

import fixtures from './stripe-fixtures.json' with { type: 'json' };

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

export const STRIPE_FIXTURES: Readonly<Record<StripeFixtureKind, Record<string, unknown>>> = fixtures;
