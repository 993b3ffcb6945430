import { PaymentSessionStatus } from '@tender/core';
import type Stripe from 'stripe';

/**
 * What a PaymentIntent's status means for a Tender payment session.
 * - requires_payment_method: a failed attempt (`last_payment_error`) is an error; otherwise nothing was tried yet.
 * - processing: cards settle in seconds (pending); async methods such as SEPA or bank debits can take days
 *   before the money is confirmed (pending_authorization).
 */
export function sessionStatusFromPaymentIntent(
  intent: Pick<Stripe.PaymentIntent, 'status' | 'last_payment_error' | 'processing'>,
): PaymentSessionStatus {
  switch (intent.status) {
    case 'requires_payment_method':
      return intent.last_payment_error ? PaymentSessionStatus.ERROR : PaymentSessionStatus.PENDING;
    case 'requires_confirmation':
      return PaymentSessionStatus.PENDING;
    case 'requires_action':
      return PaymentSessionStatus.REQUIRES_MORE;
    case 'processing':
      return intent.processing?.type === 'card' ? PaymentSessionStatus.PENDING : PaymentSessionStatus.PENDING_AUTHORIZATION;
    case 'requires_capture':
      return PaymentSessionStatus.AUTHORIZED;
    case 'succeeded':
      return PaymentSessionStatus.CAPTURED;
    case 'canceled':
      return PaymentSessionStatus.CANCELED;
    default:
      // A status added by a future API version: keep the session open rather than guess it settled.
      return PaymentSessionStatus.PENDING;
  }
}
