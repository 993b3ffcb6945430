import { EmulatedStripeError } from './emulated-error.js';
import type { StripeObject } from './objects.js';

export { allowOnly } from './params.js';
export type { PaymentIntentStatus } from './payment-intent-status.js';
export { TEST_PAYMENT_METHODS } from './payment-intents.js';

function found(objects: Map<string, StripeObject>, id: string, kind: string, param?: string): StripeObject {
  const object = objects.get(id);
  if (!object) throw EmulatedStripeError.missing(kind, id, param);
  return object;
}

/**
 * The emulator's in-memory Stripe account: PaymentIntents, Charges, Refunds, Customers, PaymentMethods and
 * SetupIntents. The state transitions the real API enforces live in one module per resource.
 */
export class EmulatorStore {
  readonly paymentIntents = new Map<string, StripeObject>();
  readonly charges = new Map<string, StripeObject>();
  readonly refunds = new Map<string, StripeObject>();
  readonly customers = new Map<string, StripeObject>();
  readonly paymentMethods = new Map<string, StripeObject>();
  readonly setupIntents = new Map<string, StripeObject>();

  clear(): void {
    for (const map of [this.paymentIntents, this.charges, this.refunds, this.customers, this.paymentMethods, this.setupIntents]) {
      map.clear();
    }
  }

  paymentIntent(id: string): StripeObject {
    return found(this.paymentIntents, id, 'payment_intent', 'intent');
  }

  charge(id: string): StripeObject {
    return found(this.charges, id, 'charge');
  }

  refund(id: string): StripeObject {
    return found(this.refunds, id, 'refund');
  }

  customer(id: string): StripeObject {
    return found(this.customers, id, 'customer');
  }

  paymentMethod(id: string): StripeObject {
    return found(this.paymentMethods, id, 'payment_method');
  }
}
