import { type PaymentAction, PaymentActions, PaymentSessionStatus } from '@tender/core';
import type Stripe from 'stripe';
import { sessionStatusFromPaymentIntent } from './status.js';

/** The metadata key Tender writes on every PaymentIntent it creates, naming the payment session. */
export const SESSION_ID_METADATA_KEY = 'session_id';

/** The Stripe object a webhook event carries, as far as the mapping needs it. */
export type StripeEventObject = Record<string, unknown> & {
  id?: string;
  object?: string;
  metadata?: Record<string, string> | null;
  currency?: string | null;
};

interface EventRule {
  /** What the event means; null when this particular object means nothing to Tender (e.g. a pending refund). */
  action(object: StripeEventObject): PaymentAction | null;
  /** The amount, in Stripe's minor units, the action concerns. */
  amount(object: StripeEventObject): number | null | undefined;
  /**
   * The amount is the charge's cumulative `amount_refunded`, read from Stripe when the object is a refund.
   * Every refund event then reports "refunded so far": the same total whatever the order or repetition of
   * deliveries, so applying it is idempotent, unlike adding each refund's own amount.
   */
  refundedTotal?: true;
}

const fixed = (action: PaymentAction) => (): PaymentAction => action;
const field =
  (name: string) =>
  (object: StripeEventObject): number | null | undefined =>
    object[name] as number | null | undefined;

function processingAction(object: StripeEventObject): PaymentAction {
  const status = sessionStatusFromPaymentIntent(object as unknown as Stripe.PaymentIntent);
  return status === PaymentSessionStatus.PENDING_AUTHORIZATION ? PaymentActions.PENDING_AUTHORIZATION : PaymentActions.PENDING;
}

function checkoutCompletedAction(object: StripeEventObject): PaymentAction | null {
  switch (object.payment_status) {
    case 'paid':
      return PaymentActions.CAPTURED;
    // Delayed methods (and manual capture) complete the Checkout Session before the money is confirmed;
    // async_payment_succeeded or the PaymentIntent's own events follow.
    case 'unpaid':
      return PaymentActions.PENDING;
    default:
      return null;
  }
}

function refundAction(object: StripeEventObject): PaymentAction | null {
  return object.status === 'succeeded' ? PaymentActions.REFUNDED : null;
}

/**
 * The events a Tender checkout subscribes to (see README), and what each means for the payment.
 * Refund events all report the payment's cumulative refunded amount (see `refundedTotal`).
 * A dispute asks the merchant to act (requires_more): it neither fails nor refunds the payment by itself.
 */
export const STRIPE_EVENT_RULES: Readonly<Record<string, EventRule>> = {
  'payment_intent.amount_capturable_updated': { action: fixed(PaymentActions.AUTHORIZED), amount: field('amount_capturable') },
  'payment_intent.succeeded': { action: fixed(PaymentActions.CAPTURED), amount: field('amount_received') },
  'payment_intent.payment_failed': { action: fixed(PaymentActions.FAILED), amount: field('amount') },
  'payment_intent.canceled': { action: fixed(PaymentActions.CANCELED), amount: field('amount') },
  'payment_intent.processing': { action: processingAction, amount: field('amount') },
  'payment_intent.requires_action': { action: fixed(PaymentActions.REQUIRES_MORE), amount: field('amount') },
  'checkout.session.completed': { action: checkoutCompletedAction, amount: field('amount_total') },
  'checkout.session.async_payment_succeeded': { action: fixed(PaymentActions.CAPTURED), amount: field('amount_total') },
  'checkout.session.async_payment_failed': { action: fixed(PaymentActions.FAILED), amount: field('amount_total') },
  'checkout.session.expired': { action: fixed(PaymentActions.CANCELED), amount: field('amount_total') },
  'charge.refunded': { action: fixed(PaymentActions.REFUNDED), amount: field('amount_refunded') },
  'refund.created': { action: refundAction, amount: field('amount'), refundedTotal: true },
  'refund.updated': { action: refundAction, amount: field('amount'), refundedTotal: true },
  'charge.dispute.created': { action: fixed(PaymentActions.REQUIRES_MORE), amount: field('amount') },
};

/** Event types to select when creating the webhook endpoint in Stripe. */
export const STRIPE_WEBHOOK_EVENT_TYPES: readonly string[] = Object.keys(STRIPE_EVENT_RULES);

export function sessionIdFromMetadata(
  object: { metadata?: Record<string, string> | null } | null | undefined,
): string | undefined {
  const value = object?.metadata?.[SESSION_ID_METADATA_KEY];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The id of an object field that may be a plain id or an expanded object (`payment_intent`, `charge`). */
export function referencedId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return undefined;
}

/**
 * The PaymentIntent an event's object is about (the id Tender stored on the session), when the object names
 * it: a PaymentIntent itself, or a charge, refund, dispute or Checkout Session that points to one.
 */
export function paymentIntentIdOf(object: StripeEventObject): string | undefined {
  if (object.object === 'payment_intent') return typeof object.id === 'string' ? object.id : undefined;
  return referencedId(object.payment_intent);
}
