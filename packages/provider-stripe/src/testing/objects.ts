import { randomBytes } from 'node:crypto';
import { STRIPE_FIXTURES, type StripeFixtureKind } from './stripe-fixtures.js';

export type StripeObject = Record<string, unknown>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id in Stripe's format: prefix, underscore, 24 alphanumerics (`pi_3PgafyB7WZ01zgkW…`). */
export function stripeId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}

/** The `last_payment_error` Stripe reports for a generic card decline. */
export const CARD_DECLINED = {
  type: 'card_error',
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
} as const;

/** The current time as Stripe writes it: unix seconds. */
export const unixNow = (): number => Math.floor(Date.now() / 1000);

/**
 * A copy of Stripe's example object of that kind with `overrides` applied on top (shallow: an override of
 * `metadata` replaces the whole metadata). Build test objects from this so they keep Stripe's real shape.
 */
export function buildStripeObject(kind: StripeFixtureKind, overrides: StripeObject = {}): StripeObject {
  return { ...structuredClone(STRIPE_FIXTURES[kind]), ...structuredClone(overrides) };
}

/** The fixture kind for an event type's object: `payment_intent.succeeded` → payment_intent, … */
export function fixtureKindForEvent(type: string): StripeFixtureKind | undefined {
  if (type.startsWith('checkout.session.')) return 'checkout.session';
  if (type.startsWith('charge.dispute.')) return 'dispute';
  if (type.startsWith('charge.refund.')) return 'refund';
  const prefix = type.slice(0, type.lastIndexOf('.'));
  const kinds: Record<string, StripeFixtureKind> = {
    payment_intent: 'payment_intent',
    charge: 'charge',
    refund: 'refund',
    customer: 'customer',
    payment_method: 'payment_method',
    setup_intent: 'setup_intent',
  };
  return kinds[prefix];
}
