import { EmulatedStripeError } from './emulated-error.js';
import type { EmulatorStore } from './emulator-store.js';
import type { FormObject } from './form-body.js';
import { buildStripeObject, CARD_DECLINED, type StripeObject, stripeId, unixNow } from './objects.js';
import { allowOnly, metadataOf, positiveInteger, requiredStr, str, stringList } from './params.js';
import { type PaymentIntentStatus, setPaymentIntentStatus } from './payment-intent-status.js';

const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation'];
const UPDATABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

const CREATE_PARAMS = [
  'amount',
  'currency',
  'metadata',
  'capture_method',
  'confirm',
  'payment_method',
  'customer',
  'description',
  'allowed_payment_method_types',
  'excluded_payment_method_types',
  'automatic_payment_methods',
  'setup_future_usage',
  'receipt_email',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'return_url',
  'payment_method_options',
  'shipping',
];
const UPDATE_PARAMS = [
  'amount',
  'currency',
  'metadata',
  'description',
  'payment_method',
  'customer',
  'receipt_email',
  'setup_future_usage',
  'allowed_payment_method_types',
  'shipping',
];

/** Stripe's test payment methods (docs.stripe.com/testing) the emulator gives their documented outcome. */
export const TEST_PAYMENT_METHODS = {
  succeeds: 'pm_card_visa',
  declined: 'pm_card_chargeDeclined',
  requiresAction: 'pm_card_authenticationRequired',
} as const;

export function createPaymentIntent(store: EmulatorStore, params: FormObject): StripeObject {
  allowOnly(params, CREATE_PARAMS);
  const amount = positiveInteger(params, 'amount', true) as number;
  const currency = requiredStr(params, 'currency');
  const customer = str(params, 'customer');
  if (customer && !store.customers.has(customer)) throw EmulatedStripeError.missing('customer', customer, 'customer');
  const allowed = stringList(params.allowed_payment_method_types);
  const automatic = (params.automatic_payment_methods as FormObject | undefined)?.enabled === 'true';
  const id = stripeId('pi');
  const intent = buildStripeObject('payment_intent', {
    id,
    amount,
    amount_capturable: 0,
    amount_received: 0,
    currency: currency.toLowerCase(),
    metadata: metadataOf(params.metadata),
    capture_method: str(params, 'capture_method') ?? 'automatic_async',
    client_secret: `${id}_secret_${stripeId('s').slice(2)}`,
    created: unixNow(),
    canceled_at: null,
    customer: customer ?? null,
    description: str(params, 'description') ?? null,
    receipt_email: str(params, 'receipt_email') ?? null,
    setup_future_usage: str(params, 'setup_future_usage') ?? null,
    payment_method: str(params, 'payment_method') ?? null,
    allowed_payment_method_types: allowed ?? null,
    automatic_payment_methods: automatic ? { enabled: true } : null,
    payment_method_types: allowed ?? ['card'],
    last_payment_error: null,
    latest_charge: null,
    next_action: null,
    processing: null,
    transfer_data: null,
    status: str(params, 'payment_method') ? 'requires_confirmation' : 'requires_payment_method',
  });
  store.paymentIntents.set(id, intent);
  if (params.confirm === 'true') return confirmPaymentIntent(store, id, {});
  return intent;
}

export function updatePaymentIntent(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, UPDATE_PARAMS);
  const intent = store.paymentIntent(id);
  const status = intent.status as PaymentIntentStatus;
  if ((params.amount !== undefined || params.currency !== undefined) && !UPDATABLE.includes(status)) {
    throw unexpectedState(intent, 'updated', UPDATABLE);
  }
  const amount = positiveInteger(params, 'amount', false);
  if (amount !== undefined) intent.amount = amount;
  const currency = str(params, 'currency');
  if (currency) intent.currency = currency.toLowerCase();
  if (params.metadata !== undefined) intent.metadata = { ...(intent.metadata as object), ...metadataOf(params.metadata) };
  for (const name of ['description', 'receipt_email', 'setup_future_usage', 'payment_method', 'customer']) {
    const value = str(params, name);
    if (value) intent[name] = value;
  }
  return intent;
}

export function confirmPaymentIntent(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, ['payment_method', 'return_url', 'payment_method_options', 'receipt_email']);
  const intent = store.paymentIntent(id);
  if (!CONFIRMABLE.includes(intent.status as PaymentIntentStatus)) throw unexpectedState(intent, 'confirmed', CONFIRMABLE);
  const method = str(params, 'payment_method') ?? (intent.payment_method as string | null) ?? undefined;
  if (!method) {
    throw EmulatedStripeError.invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", {
      code: 'payment_intent_unexpected_state',
      payment_intent: intent,
    });
  }
  intent.payment_method = method;
  if (method === TEST_PAYMENT_METHODS.declined) decline(store, intent, method);
  if (method === TEST_PAYMENT_METHODS.requiresAction) return setPaymentIntentStatus(store, intent, 'requires_action');
  return setPaymentIntentStatus(store, intent, intent.capture_method === 'manual' ? 'requires_capture' : 'succeeded');
}

function decline(store: EmulatorStore, intent: StripeObject, method: string): never {
  const error = { ...CARD_DECLINED, payment_method: { id: method, object: 'payment_method', type: 'card' } };
  setPaymentIntentStatus(store, intent, 'requires_payment_method', { last_payment_error: error });
  throw new EmulatedStripeError(402, { ...error, payment_intent: intent });
}

export function capturePaymentIntent(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, ['amount_to_capture', 'metadata', 'final_capture', 'statement_descriptor']);
  const intent = store.paymentIntent(id);
  if (intent.status !== 'requires_capture') throw unexpectedState(intent, 'captured', ['requires_capture']);
  const capturable = intent.amount_capturable as number;
  const amount = positiveInteger(params, 'amount_to_capture', false) ?? capturable;
  if (amount > capturable) {
    throw EmulatedStripeError.invalidRequest(
      `The amount to capture (${amount}) must be less than or equal to the amount capturable (${capturable}).`,
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
  }
  return setPaymentIntentStatus(store, intent, 'succeeded', { amount_received: amount });
}

export function cancelPaymentIntent(store: EmulatorStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, ['cancellation_reason']);
  const intent = store.paymentIntent(id);
  if (!CANCELABLE.includes(intent.status as PaymentIntentStatus)) throw unexpectedState(intent, 'canceled', CANCELABLE);
  return setPaymentIntentStatus(store, intent, 'canceled', { cancellation_reason: str(params, 'cancellation_reason') ?? null });
}

function unexpectedState(intent: StripeObject, verb: string, allowed: readonly string[]): EmulatedStripeError {
  return EmulatedStripeError.invalidRequest(
    `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}. ` +
      `Only a PaymentIntent with one of the following statuses may be ${verb}: ${allowed.join(', ')}.`,
    { code: 'payment_intent_unexpected_state', payment_intent: intent },
  );
}
