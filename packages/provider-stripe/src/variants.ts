import { StripeProviderBase } from './stripe-provider.js';
import type { StripeVariantConfig } from './variant-config.js';

/**
 * One class per payment method, as in Medusa: registered with id "stripe" they become `pp_stripe_stripe`,
 * `pp_stripe-ideal_stripe`, … and receive webhooks at `/hooks/payment/{identifier}_stripe`.
 */

/** Cards (or every method enabled in the dashboard, with `automaticPaymentMethods`). */
export class StripeProvider extends StripeProviderBase {
  static override identifier = 'stripe';
  protected readonly variant: StripeVariantConfig = {};
}

export class StripeBancontactProvider extends StripeProviderBase {
  static override identifier = 'stripe-bancontact';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'bancontact', captureAlways: true };
}

export class StripeBlikProvider extends StripeProviderBase {
  static override identifier = 'stripe-blik';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'blik', captureAlways: true };
}

export class StripeIdealProvider extends StripeProviderBase {
  static override identifier = 'stripe-ideal';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'ideal', captureAlways: true };
}

export class StripePrzelewy24Provider extends StripeProviderBase {
  static override identifier = 'stripe-przelewy24';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'p24', captureAlways: true };
}

export class StripePromptpayProvider extends StripeProviderBase {
  static override identifier = 'stripe-promptpay';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'promptpay', captureAlways: true };
}

export class StripeOxxoProvider extends StripeProviderBase {
  static override identifier = 'stripe-oxxo';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'oxxo', captureAlways: true };
}

export class StripeMultibancoProvider extends StripeProviderBase {
  static override identifier = 'stripe-multibanco';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'multibanco', captureAlways: true };
}

export class StripeMbwayProvider extends StripeProviderBase {
  static override identifier = 'stripe-mbway';
  protected readonly variant: StripeVariantConfig = { paymentMethodType: 'mb_way', captureAlways: true };
}

/** Every variant, for `providers: STRIPE_PROVIDERS.map((resolve) => ({ resolve, id: 'stripe', options }))`. */
export const STRIPE_PROVIDERS = [
  StripeProvider,
  StripeBancontactProvider,
  StripeBlikProvider,
  StripeIdealProvider,
  StripePrzelewy24Provider,
  StripePromptpayProvider,
  StripeOxxoProvider,
  StripeMultibancoProvider,
  StripeMbwayProvider,
] as const;
