import type { EmulatorStore } from './emulator-store.js';
import type { FormObject } from './form-body.js';
import { buildStripeObject, type StripeObject, stripeId, unixNow } from './objects.js';
import { allowOnly, metadataOf, str, stringList } from './params.js';

export function createSetupIntent(store: EmulatorStore, params: FormObject): StripeObject {
  allowOnly(params, [
    'customer',
    'usage',
    'payment_method',
    'allowed_payment_method_types',
    'automatic_payment_methods',
    'metadata',
    'description',
  ]);
  const customer = str(params, 'customer');
  if (customer) store.customer(customer);
  const id = stripeId('seti');
  const intent = buildStripeObject('setup_intent', {
    id,
    client_secret: `${id}_secret_${stripeId('s').slice(2)}`,
    customer: customer ?? null,
    usage: str(params, 'usage') ?? 'off_session',
    payment_method: str(params, 'payment_method') ?? null,
    payment_method_types: stringList(params.allowed_payment_method_types) ?? ['card'],
    metadata: metadataOf(params.metadata),
    status: str(params, 'payment_method') ? 'requires_confirmation' : 'requires_payment_method',
    created: unixNow(),
  });
  store.setupIntents.set(id, intent);
  return intent;
}
