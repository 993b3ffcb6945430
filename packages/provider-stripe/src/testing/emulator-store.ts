import { EmulatedStripeError } from './emulated-error.js';
import type { FormObject, FormValue } from './form-body.js';
import { buildStripeObject, type StripeObject, stripeId } from './objects.js';

/** PaymentIntent statuses, in Stripe's words. */
export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation'];
const UPDATABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** Stripe's test payment methods (docs.stripe.com/testing) the emulator gives their documented outcome. */
export const TEST_PAYMENT_METHODS = {
  succeeds: 'pm_card_visa',
  declined: 'pm_card_chargeDeclined',
  requiresAction: 'pm_card_authenticationRequired',
} as const;

const now = () => Math.floor(Date.now() / 1000);

function str(params: FormObject, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function positiveInteger(params: FormObject, name: string, required: boolean): number | undefined {
  const value = params[name];
  if (value === undefined) {
    if (required)
      throw EmulatedStripeError.invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
    return undefined;
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    throw EmulatedStripeError.invalidRequest(`Invalid positive integer`, { code: 'parameter_invalid_integer', param: name });
  }
  return Number(value);
}

function metadataOf(value: FormValue | undefined): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function stringList(value: FormValue | undefined): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** Rejects parameters the real API would reject as unknown, so a request the emulator accepts is one Stripe accepts. */
export function allowOnly(params: FormObject, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name) && name !== 'expand') {
      throw EmulatedStripeError.invalidRequest(`Received unknown parameter: ${name}`, { code: 'parameter_unknown', param: name });
    }
  }
}

/**
 * The emulator's in-memory Stripe account: PaymentIntents, Charges, Refunds, Customers, PaymentMethods and
 * SetupIntents with the state transitions the real API enforces.
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

  // ---- PaymentIntents -------------------------------------------------------------------------------------

  createPaymentIntent(params: FormObject): StripeObject {
    allowOnly(params, [
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
    ]);
    const amount = positiveInteger(params, 'amount', true) as number;
    const currency = str(params, 'currency');
    if (!currency)
      throw EmulatedStripeError.invalidRequest('Missing required param: currency.', {
        code: 'parameter_missing',
        param: 'currency',
      });
    const customer = str(params, 'customer');
    if (customer && !this.customers.has(customer)) throw EmulatedStripeError.missing('customer', customer, 'customer');
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
      created: now(),
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
    this.paymentIntents.set(id, intent);
    if (params.confirm === 'true') return this.confirmPaymentIntent(id, {});
    return intent;
  }

  paymentIntent(id: string): StripeObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw EmulatedStripeError.missing('payment_intent', id, 'intent');
    return intent;
  }

  updatePaymentIntent(id: string, params: FormObject): StripeObject {
    allowOnly(params, [
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
    ]);
    const intent = this.paymentIntent(id);
    const status = intent.status as PaymentIntentStatus;
    if ((params.amount !== undefined || params.currency !== undefined) && !UPDATABLE.includes(status)) {
      throw this.unexpectedState(intent, 'updated', UPDATABLE);
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

  confirmPaymentIntent(id: string, params: FormObject): StripeObject {
    allowOnly(params, ['payment_method', 'return_url', 'payment_method_options', 'receipt_email']);
    const intent = this.paymentIntent(id);
    if (!CONFIRMABLE.includes(intent.status as PaymentIntentStatus)) throw this.unexpectedState(intent, 'confirmed', CONFIRMABLE);
    const method = str(params, 'payment_method') ?? (intent.payment_method as string | null) ?? undefined;
    if (!method) {
      throw EmulatedStripeError.invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", {
        code: 'payment_intent_unexpected_state',
        payment_intent: intent,
      });
    }
    intent.payment_method = method;
    if (method === TEST_PAYMENT_METHODS.declined) {
      const error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        payment_method: { id: method, object: 'payment_method', type: 'card' },
      };
      this.setStatus(intent, 'requires_payment_method', { last_payment_error: error });
      throw new EmulatedStripeError(402, { ...error, payment_intent: intent });
    }
    if (method === TEST_PAYMENT_METHODS.requiresAction) return this.setStatus(intent, 'requires_action');
    return this.setStatus(intent, intent.capture_method === 'manual' ? 'requires_capture' : 'succeeded');
  }

  capturePaymentIntent(id: string, params: FormObject): StripeObject {
    allowOnly(params, ['amount_to_capture', 'metadata', 'final_capture', 'statement_descriptor']);
    const intent = this.paymentIntent(id);
    if (intent.status !== 'requires_capture') throw this.unexpectedState(intent, 'captured', ['requires_capture']);
    const capturable = intent.amount_capturable as number;
    const amount = positiveInteger(params, 'amount_to_capture', false) ?? capturable;
    if (amount > capturable) {
      throw EmulatedStripeError.invalidRequest(
        `The amount to capture (${amount}) must be less than or equal to the amount capturable (${capturable}).`,
        { code: 'amount_too_large', param: 'amount_to_capture' },
      );
    }
    return this.setStatus(intent, 'succeeded', { amount_received: amount });
  }

  cancelPaymentIntent(id: string, params: FormObject): StripeObject {
    allowOnly(params, ['cancellation_reason']);
    const intent = this.paymentIntent(id);
    if (!CANCELABLE.includes(intent.status as PaymentIntentStatus)) throw this.unexpectedState(intent, 'canceled', CANCELABLE);
    return this.setStatus(intent, 'canceled', { cancellation_reason: str(params, 'cancellation_reason') ?? null });
  }

  /**
   * Puts a PaymentIntent in `status` with the fields Stripe sets alongside it (amount_capturable, amount_received,
   * a charge once money moved, next_action, processing, last_payment_error). `patch` overrides any field.
   */
  setStatus(intent: StripeObject, status: PaymentIntentStatus, patch: StripeObject = {}): StripeObject {
    const amount = intent.amount as number;
    Object.assign(intent, {
      status,
      amount_capturable: status === 'requires_capture' ? amount : 0,
      amount_received: status === 'succeeded' ? amount : 0,
      next_action: status === 'requires_action' ? { type: 'use_stripe_sdk', use_stripe_sdk: {} } : null,
      processing: status === 'processing' ? { type: (intent.payment_method_types as string[])[0] ?? 'card' } : null,
      last_payment_error: null,
      canceled_at: status === 'canceled' ? now() : null,
    });
    if (status === 'processing' && (intent.processing as { type: string }).type === 'card') {
      (intent.processing as StripeObject).card = { customer_notification: null };
    }
    Object.assign(intent, patch);
    if (status === 'requires_capture' || status === 'succeeded') this.chargeFor(intent);
    return intent;
  }

  private chargeFor(intent: StripeObject): void {
    const existing = typeof intent.latest_charge === 'string' ? this.charges.get(intent.latest_charge) : undefined;
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
        created: now(),
        refunded: false,
        status: 'succeeded',
        paid: true,
      });
    Object.assign(charge, { captured, amount_captured: captured ? intent.amount_received : 0 });
    this.charges.set(charge.id as string, charge);
    intent.latest_charge = charge.id;
  }

  private unexpectedState(intent: StripeObject, verb: string, allowed: readonly string[]): EmulatedStripeError {
    return EmulatedStripeError.invalidRequest(
      `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be ${verb}: ${allowed.join(', ')}.`,
      { code: 'payment_intent_unexpected_state', payment_intent: intent },
    );
  }

  // ---- Charges and Refunds ----------------------------------------------------------------------------------

  charge(id: string): StripeObject {
    const charge = this.charges.get(id);
    if (!charge) throw EmulatedStripeError.missing('charge', id);
    return charge;
  }

  refund(id: string): StripeObject {
    const refund = this.refunds.get(id);
    if (!refund) throw EmulatedStripeError.missing('refund', id);
    return refund;
  }

  createRefund(params: FormObject): StripeObject {
    allowOnly(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'instructions_email']);
    const intentId = str(params, 'payment_intent');
    const chargeId = str(params, 'charge');
    let charge: StripeObject | undefined;
    if (intentId) {
      const intent = this.paymentIntent(intentId);
      if (intent.status !== 'succeeded' || typeof intent.latest_charge !== 'string') {
        throw EmulatedStripeError.invalidRequest(
          `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
          { code: 'charge_not_refundable', param: 'payment_intent' },
        );
      }
      charge = this.charge(intent.latest_charge);
    } else if (chargeId) {
      charge = this.charge(chargeId);
    } else {
      throw EmulatedStripeError.invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        {
          code: 'parameter_missing',
        },
      );
    }
    const remaining = (charge.amount_captured as number) - (charge.amount_refunded as number);
    if (remaining <= 0) {
      throw EmulatedStripeError.invalidRequest(`Charge ${charge.id} has already been refunded.`, {
        code: 'charge_already_refunded',
        charge: charge.id,
      });
    }
    const amount = positiveInteger(params, 'amount', false) ?? remaining;
    if (amount > remaining) {
      throw EmulatedStripeError.invalidRequest(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    }
    const refund = buildStripeObject('refund', {
      id: stripeId('re'),
      amount,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      currency: charge.currency,
      metadata: metadataOf(params.metadata),
      reason: str(params, 'reason') ?? null,
      created: now(),
      status: 'succeeded',
    });
    this.refunds.set(refund.id as string, refund);
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    return refund;
  }

  // ---- Customers, PaymentMethods, SetupIntents ------------------------------------------------------------

  createCustomer(params: FormObject): StripeObject {
    allowOnly(params, ['email', 'name', 'phone', 'description', 'metadata', 'address', 'payment_method']);
    const customer = buildStripeObject('customer', {
      id: stripeId('cus'),
      email: str(params, 'email') ?? null,
      name: str(params, 'name') ?? null,
      phone: str(params, 'phone') ?? null,
      description: str(params, 'description') ?? null,
      metadata: metadataOf(params.metadata),
      discount: null,
      created: now(),
    });
    this.customers.set(customer.id as string, customer);
    return customer;
  }

  customer(id: string): StripeObject {
    const customer = this.customers.get(id);
    if (!customer) throw EmulatedStripeError.missing('customer', id);
    return customer;
  }

  updateCustomer(id: string, params: FormObject): StripeObject {
    allowOnly(params, ['email', 'name', 'phone', 'description', 'metadata', 'address']);
    const customer = this.customer(id);
    for (const name of ['email', 'name', 'phone', 'description']) {
      if (params[name] !== undefined) customer[name] = str(params, name) ?? null;
    }
    if (params.metadata !== undefined) customer.metadata = { ...(customer.metadata as object), ...metadataOf(params.metadata) };
    return customer;
  }

  deleteCustomer(id: string): StripeObject {
    this.customer(id);
    this.customers.delete(id);
    return { id, object: 'customer', deleted: true };
  }

  /** A saved card, optionally attached to a customer (what a storefront's SetupIntent leaves behind). */
  createPaymentMethod(options: { customer?: string; type?: string; last4?: string } = {}): StripeObject {
    if (options.customer) this.customer(options.customer);
    const method = buildStripeObject('payment_method', {
      id: stripeId('pm'),
      customer: options.customer ?? null,
      type: options.type ?? 'card',
      created: now(),
      metadata: {},
    });
    if (options.last4) (method.card as StripeObject).last4 = options.last4;
    this.paymentMethods.set(method.id as string, method);
    return method;
  }

  paymentMethod(id: string): StripeObject {
    const method = this.paymentMethods.get(id);
    if (!method) throw EmulatedStripeError.missing('payment_method', id);
    return method;
  }

  attachPaymentMethod(id: string, params: FormObject): StripeObject {
    allowOnly(params, ['customer']);
    const customer = str(params, 'customer');
    if (!customer)
      throw EmulatedStripeError.invalidRequest('Missing required param: customer.', {
        code: 'parameter_missing',
        param: 'customer',
      });
    this.customer(customer);
    const method = this.paymentMethod(id);
    method.customer = customer;
    return method;
  }

  /** Stripe refuses to detach a method that is attached to no customer. */
  detachPaymentMethod(id: string, params: FormObject): StripeObject {
    allowOnly(params, []);
    const method = this.paymentMethod(id);
    if (!method.customer) {
      throw EmulatedStripeError.invalidRequest(`The payment method you provided is not attached to a customer.`, {
        code: 'payment_method_unexpected_state',
      });
    }
    method.customer = null;
    return method;
  }

  listPaymentMethods(customer: string, type?: string): StripeObject[] {
    this.customer(customer);
    return [...this.paymentMethods.values()].filter((method) => method.customer === customer && (!type || method.type === type));
  }

  createSetupIntent(params: FormObject): StripeObject {
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
    if (customer) this.customer(customer);
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
      created: now(),
    });
    this.setupIntents.set(id, intent);
    return intent;
  }
}
