import type Stripe from 'stripe';

/** How a variant shapes the PaymentIntents it creates. */
export interface StripeVariantConfig {
  /** The one Stripe payment method type the variant offers; undefined for the card / automatic provider. */
  paymentMethodType?: string;
  /** Methods that cannot hold an authorization (iDEAL, BLIK, OXXO, …) always capture at once. */
  captureAlways?: boolean;
}

/** The methods a variant's PaymentIntent offers: its own one, or cards, or (option) all the dashboard enables. */
export function paymentMethodParams(
  variant: StripeVariantConfig,
  automaticPaymentMethods: boolean | undefined,
): Partial<Stripe.PaymentIntentCreateParams> {
  if (variant.paymentMethodType) return { allowed_payment_method_types: [variant.paymentMethodType] };
  return automaticPaymentMethods ? { automatic_payment_methods: { enabled: true } } : { allowed_payment_method_types: ['card'] };
}
