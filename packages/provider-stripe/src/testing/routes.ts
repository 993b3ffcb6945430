import { createCustomer, deleteCustomer, updateCustomer } from './customers.js';
import { EmulatedStripeError } from './emulated-error.js';
import type { EmulatorStore } from './emulator-store.js';
import type { FormObject } from './form-body.js';
import type { StripeObject } from './objects.js';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  updatePaymentIntent,
} from './payment-intents.js';
import { attachPaymentMethod, detachPaymentMethod, listPaymentMethods } from './payment-methods.js';
import { createRefund } from './refunds.js';
import { createSetupIntent } from './setup-intents.js';

/** An API answer, body already serialized. */
export interface RouteResult {
  status: number;
  body: string;
}

/** `id` is the path's captured object id, when the route has one. */
type Handler = (store: EmulatorStore, params: FormObject, id: string) => StripeObject;

const list = (url: string, data: StripeObject[]): StripeObject => ({ object: 'list', data, has_more: false, url });

const ROUTES: ReadonlyArray<[string, RegExp, Handler]> = [
  ['POST', /^\/v1\/payment_intents$/, (s, p) => createPaymentIntent(s, p)],
  ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (s, _p, id) => s.paymentIntent(id)],
  ['POST', /^\/v1\/payment_intents\/([^/]+)$/, (s, p, id) => updatePaymentIntent(s, id, p)],
  ['POST', /^\/v1\/payment_intents\/([^/]+)\/confirm$/, (s, p, id) => confirmPaymentIntent(s, id, p)],
  ['POST', /^\/v1\/payment_intents\/([^/]+)\/capture$/, (s, p, id) => capturePaymentIntent(s, id, p)],
  ['POST', /^\/v1\/payment_intents\/([^/]+)\/cancel$/, (s, p, id) => cancelPaymentIntent(s, id, p)],
  ['GET', /^\/v1\/charges\/([^/]+)$/, (s, _p, id) => s.charge(id)],
  ['POST', /^\/v1\/refunds$/, (s, p) => createRefund(s, p)],
  ['GET', /^\/v1\/refunds\/([^/]+)$/, (s, _p, id) => s.refund(id)],
  ['POST', /^\/v1\/customers$/, (s, p) => createCustomer(s, p)],
  ['GET', /^\/v1\/customers\/([^/]+)$/, (s, _p, id) => s.customer(id)],
  ['POST', /^\/v1\/customers\/([^/]+)$/, (s, p, id) => updateCustomer(s, id, p)],
  ['DELETE', /^\/v1\/customers\/([^/]+)$/, (s, _p, id) => deleteCustomer(s, id)],
  [
    'GET',
    /^\/v1\/customers\/([^/]+)\/payment_methods$/,
    (s, p, id) => list(`/v1/customers/${id}/payment_methods`, listPaymentMethods(s, id, p.type as string | undefined)),
  ],
  [
    'GET',
    /^\/v1\/payment_methods$/,
    (s, p) => list('/v1/payment_methods', listPaymentMethods(s, p.customer as string, p.type as string | undefined)),
  ],
  ['GET', /^\/v1\/payment_methods\/([^/]+)$/, (s, _p, id) => s.paymentMethod(id)],
  ['POST', /^\/v1\/payment_methods\/([^/]+)\/attach$/, (s, p, id) => attachPaymentMethod(s, id, p)],
  ['POST', /^\/v1\/payment_methods\/([^/]+)\/detach$/, (s, p, id) => detachPaymentMethod(s, id, p)],
  ['POST', /^\/v1\/setup_intents$/, (s, p) => createSetupIntent(s, p)],
];

/** Runs the API call `method path` against `store`, answering Stripe's errors the way Stripe does. */
export function route(store: EmulatorStore, method: string, path: string, params: FormObject): RouteResult {
  for (const [routeMethod, pattern, handler] of ROUTES) {
    const match = path.match(pattern);
    if (routeMethod !== method || !match) continue;
    try {
      const { expand: _expand, ...rest } = params;
      const result = handler(store, rest, match[1] as string);
      return { status: 200, body: JSON.stringify(result) };
    } catch (error) {
      if (error instanceof EmulatedStripeError) return { status: error.status, body: JSON.stringify(error.body) };
      throw error;
    }
  }
  const error = new EmulatedStripeError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). The Stripe emulator implements PaymentIntents, Refunds, Charges, Customers, PaymentMethods and SetupIntents.`,
  });
  return { status: 404, body: JSON.stringify(error.body) };
}
