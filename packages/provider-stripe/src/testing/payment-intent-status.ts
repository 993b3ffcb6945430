import type { EmulatorStore } from './emulator-store.js';
import { buildStripeObject, type StripeObject, stripeId, unixNow } from './objects.js';

/** PaymentIntent statuses, in Stripe's words. */
export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

/**
 * Puts a PaymentIntent in `status` with the fields Stripe sets alongside it (amount_capturable, amount_received,
 * a charge once money moved, next_action, processing, last_payment_error). `patch` overrides any field.
 */
export function setPaymentIntentStatus(
  store: EmulatorStore,
  intent: StripeObject,
  status: PaymentIntentStatus,
  patch: StripeObject = {},
): StripeObject {
  const amount = intent.amount as number;
  Object.assign(intent, {
    status,
    amount_capturable: status === 'requires_capture' ? amount : 0,
    amount_received: status === 'succeeded' ? amount : 0,
    next_action: status === 'requires_action' ? { type: 'use_stripe_sdk', use_stripe_sdk: {} } : null,
    processing: status === 'processing' ? { type: (intent.payment_method_types as string[])[0] ?? 'card' } : null,
    last_payment_error: null,
    canceled_at: status === 'canceled' ? unixNow() : null,
  });
  if (status === 'processing' && (intent.processing as { type: string }).type === 'card') {
    (intent.processing as StripeObject).card = { customer_notification: null };
  }
  Object.assign(intent, patch);
  if (status === 'requires_capture' || status === 'succeeded') chargeFor(store, intent);
  return intent;
}

function chargeFor(store: EmulatorStore, intent: StripeObject): void {
  const existing = typeof intent.latest_charge === 'string' ? store.charges.get(intent.latest_charge) : undefined;
  const captured = intent.status === 'succeeded';
  const charge =
    existing ??
    buildStripeObject('charge', {
      id: stripeId('ch'),
      amount: intent.amount,
      amount_refunded: 0,
      currency: intent.currency,
      customer: intent.customer,
      // Stripe copies the PaymentIntent's metadata onto its charges.
      metadata: { ...(intent.metadata as object) },
      payment_intent: intent.id,
      payment_method: intent.payment_method ?? 'pm_card_visa',
      created: unixNow(),
      refunded: false,
      status: 'succeeded',
      paid: true,
    });
  Object.assign(charge, { captured, amount_captured: captured ? intent.amount_received : 0 });
  store.charges.set(charge.id as string, charge);
  intent.latest_charge = charge.id;
}
