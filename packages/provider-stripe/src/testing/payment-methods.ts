import { EmulatedStripeError } from './emulated-error.js';
import type { EmulatorStore } from './emulator-store.js';
import type { FormObject } from './form-body.js';
import { buildStripeObject, type StripeObject, stripeId, unixNow } from './objects.js';
import { allowOnly, requiredStr } from './params.js';

/** A saved card, optionally attached to a customer (what a storefront's SetupIntent leaves behind). */
export function createPaymentMethod(
  store: EmulatorStore,
  options: { customer?: string; type?: string; last4?: string } = {},
): StripeObject {
  if (options.customer) store.customer(options.customer);
  const method = buildStripeObject('payment_method', {
    id: stripeId('pm'),
    customer: options.customer ?? null,
    type: options.type ?? 'card',
    created: unixNow(),
    metadata: {},
  });
  if (options.last4) (method.card as StripeObject).last4 = options.last4;
  store.paymentMethods.set(method.id as string, method);
  return method;
}

export function attachPaymentMethod(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, ['customer']);
  const customer = requiredStr(params, 'customer');
  store.customer(customer);
  const method = store.paymentMethod(id);
  method.customer = customer;
  return method;
}

/** Stripe refuses to detach a method that is attached to no customer. */
export function detachPaymentMethod(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, []);
  const method = store.paymentMethod(id);
  if (!method.customer) {
    throw EmulatedStripeError.invalidRequest(`The payment method you provided is not attached to a customer.`, {
      code: 'payment_method_unexpected_state',
    });
  }
  method.customer = null;
  return method;
}

export function listPaymentMethods(store: EmulatorStore, customer: string, type?: string): StripeObject[] {
  store.customer(customer);
  return [...store.paymentMethods.values()].filter((method) => method.customer === customer && (!type || method.type === type));
}
