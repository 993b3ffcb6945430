import type { EmulatorStore } from './emulator-store.js';
import type { FormObject } from './form-body.js';
import { buildStripeObject, type StripeObject, stripeId, unixNow } from './objects.js';
import { allowOnly, metadataOf, str } from './params.js';

export function createCustomer(store: EmulatorStore, params: FormObject): StripeObject {
  allowOnly(params, ['email', 'name', 'phone', 'description', 'metadata', 'address', 'payment_method']);
  const customer = buildStripeObject('customer', {
    id: stripeId('cus'),
    email: str(params, 'email') ?? null,
    name: str(params, 'name') ?? null,
    phone: str(params, 'phone') ?? null,
    description: str(params, 'description') ?? null,
    metadata: metadataOf(params.metadata),
    discount: null,
    created: unixNow(),
  });
  store.customers.set(customer.id as string, customer);
  return customer;
}

export function updateCustomer(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, ['email', 'name', 'phone', 'description', 'metadata', 'address']);
  const customer = store.customer(id);
  for (const name of ['email', 'name', 'phone', 'description']) {
    if (params[name] !== undefined) customer[name] = str(params, name) ?? null;
  }
  if (params.metadata !== undefined) customer.metadata = { ...(customer.metadata as object), ...metadataOf(params.metadata) };
  return customer;
}

export function deleteCustomer(store: EmulatorStore, id: string): StripeObject {
  store.customer(id);
  store.customers.delete(id);
  return { id, object: 'customer', deleted: true };
}
