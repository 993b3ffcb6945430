import { toMinorUnits } from '@tender/core';
import { notificationForPayment } from '@tender/provider-easypay/testing';
import { createHmacWebhook } from '@tender/provider-hmac/testing';
import { createStripeWebhook } from '@tender/provider-stripe/testing';
import { createSystemWebhook } from '@tender/provider-system/testing';
import type { Delivery } from '../http/send-delivery.js';
import { DEMO_HMAC_OPTIONS, DEMO_SECRETS, type DemoEmulators } from './demo-providers.js';

/** One checkout of the demo: a cart, its payment collection and one session with one provider. */
export interface CheckoutPlan {
  key: string;
  provider_id: string;
  amount: string;
  currency_code: string;
  /** Session data the provider needs (none of the demo's do). */
  data?: Record<string, unknown>;
}

export interface Checkout extends CheckoutPlan {
  /** The webhook route segment, `{identifier}_{id}`. */
  route_key: string;
  session_id: string;
  collection_id: string;
  cart_id: string;
}

export interface StepContext {
  checkout: Checkout;
  emulators: DemoEmulators;
  /** Deliveries already built in this run, by step label, so a duplicate resends the same bytes. */
  sent: Map<string, Delivery>;
}

/** One webhook delivery of the scenario and what the route must answer. */
export interface DemoStep {
  label: string;
  checkout: string;
  /** The provider's event name, as the timeline shows it. */
  event: string;
  /** Why this delivery is in the demo (duplicate, out of order, forged, late failure). */
  note?: string;
  expectStatus: number;
  expectOutcome?: 'accepted' | 'duplicate' | 'ignored';
  build(context: StepContext): Delivery;
}

/** What every checkout must end as: the scenario's claim, checked after it ran. */
export const EXPECTED_FINAL_STATE = { session: 'captured', collection: 'completed', orders: 1 } as const;

export const CHECKOUTS: CheckoutPlan[] = [
  { key: 'system', provider_id: 'pp_system_default', amount: '25.00', currency_code: 'usd' },
  { key: 'stripe', provider_id: 'pp_stripe_stripe', amount: '42.00', currency_code: 'usd' },
  { key: 'hmac', provider_id: 'pp_hmac_acme', amount: '18.50', currency_code: 'eur' },
  // MB WAY: the customer confirms in the app, and the provider reads the status back from Ifthenpay's API.
  {
    key: 'ifthenpay',
    provider_id: 'pp_ifthenpay_mbway',
    amount: '31.20',
    currency_code: 'eur',
    data: { phone: '912345678' },
  },
  // Multibanco: the customer pays a reference at an ATM; Ifthenpay has no status call, so the callback decides.
  { key: 'multibanco', provider_id: 'pp_ifthenpay_mb', amount: '57.35', currency_code: 'eur' },
  { key: 'easypay', provider_id: 'pp_easypay_mb', amount: '12.00', currency_code: 'eur' },
];

function paymentIntentOf({ checkout, emulators }: StepContext): string {
  const intent = emulators.stripe.paymentIntentForSession(checkout.session_id);
  if (!intent) throw new Error(`The Stripe emulator has no PaymentIntent for session ${checkout.session_id}.`);
  return intent.id as string;
}

function stripeObject(context: StepContext) {
  const { checkout } = context;
  return {
    id: paymentIntentOf(context),
    amount: toMinorUnits(checkout.amount, checkout.currency_code, 'exact'),
    currency: checkout.currency_code,
    metadata: { session_id: checkout.session_id },
  };
}

/** The callback Ifthenpay sends once the reference is paid (the emulator marks it paid). */
function multibancoCallback({ checkout, emulators }: StepContext): Delivery {
  const payment = [...emulators.ifthenpay.payments.values()].find((p) => p.orderId === checkout.session_id);
  if (!payment) throw new Error(`The Ifthenpay emulator has no reference for session ${checkout.session_id}.`);
  return emulators.ifthenpay.pay(payment.requestId);
}

function resend(label: string) {
  return ({ sent }: StepContext): Delivery => {
    const original = sent.get(label);
    if (!original) throw new Error(`Step "${label}" must run before its duplicate.`);
    return original;
  };
}

/** The deliveries, in the order a real mix of gateways might send them. */
export const STEPS: DemoStep[] = [
  {
    label: 'system-authorized',
    checkout: 'system',
    event: 'payment.authorized',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: ({ checkout }) =>
      createSystemWebhook({
        secret: DEMO_SECRETS.system,
        type: 'payment.authorized',
        session_id: checkout.session_id,
        amount: checkout.amount,
      }),
  },
  {
    label: 'system-captured',
    checkout: 'system',
    event: 'payment.captured',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: ({ checkout }) =>
      createSystemWebhook({
        secret: DEMO_SECRETS.system,
        type: 'payment.captured',
        session_id: checkout.session_id,
        amount: checkout.amount,
      }),
  },
  {
    label: 'stripe-forged',
    checkout: 'stripe',
    event: 'payment_intent.succeeded',
    note: 'forged: signed with a secret Tender does not know',
    expectStatus: 401,
    build: (context) =>
      createStripeWebhook({
        secret: 'whsec_not_the_endpoint_secret',
        type: 'payment_intent.succeeded',
        object: stripeObject(context),
      }),
  },
  {
    label: 'stripe-authorized',
    checkout: 'stripe',
    event: 'payment_intent.amount_capturable_updated',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: (context) => {
      const intent = context.emulators.stripe.setPaymentIntentStatus(paymentIntentOf(context), 'requires_capture');
      return createStripeWebhook({
        secret: DEMO_SECRETS.stripe,
        type: 'payment_intent.amount_capturable_updated',
        object: intent,
      });
    },
  },
  {
    label: 'stripe-succeeded',
    checkout: 'stripe',
    event: 'payment_intent.succeeded',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: (context) => {
      const intent = context.emulators.stripe.setPaymentIntentStatus(paymentIntentOf(context), 'succeeded');
      return createStripeWebhook({ secret: DEMO_SECRETS.stripe, type: 'payment_intent.succeeded', object: intent });
    },
  },
  {
    label: 'stripe-succeeded-again',
    checkout: 'stripe',
    event: 'payment_intent.succeeded',
    note: 'duplicate: Stripe redelivers the same event',
    expectStatus: 200,
    expectOutcome: 'duplicate',
    build: resend('stripe-succeeded'),
  },
  {
    label: 'stripe-late-failure',
    checkout: 'stripe',
    event: 'payment_intent.payment_failed',
    note: 'late failure after the capture: must not undo it',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: (context) =>
      createStripeWebhook({ secret: DEMO_SECRETS.stripe, type: 'payment_intent.payment_failed', object: stripeObject(context) }),
  },
  {
    label: 'hmac-completed',
    checkout: 'hmac',
    event: 'payment.completed',
    note: 'out of order: the capture arrives before the authorization',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: ({ checkout }) =>
      createHmacWebhook({
        secret: DEMO_SECRETS.hmac,
        options: DEMO_HMAC_OPTIONS,
        event: { type: 'payment.completed', session_id: checkout.session_id, amount: checkout.amount, currency: 'EUR' },
      }),
  },
  {
    label: 'hmac-authorized',
    checkout: 'hmac',
    event: 'payment.authorized',
    note: 'out of order: the late authorization',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: ({ checkout }) =>
      createHmacWebhook({
        secret: DEMO_SECRETS.hmac,
        options: DEMO_HMAC_OPTIONS,
        event: { type: 'payment.authorized', session_id: checkout.session_id, amount: checkout.amount, currency: 'EUR' },
      }),
  },
  {
    label: 'ifthenpay-paid',
    checkout: 'ifthenpay',
    event: 'MB WAY paid callback (GET)',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: ({ checkout, emulators }) => {
      const payment = [...emulators.ifthenpay.payments.values()].find((p) => p.orderId === checkout.session_id);
      if (!payment) throw new Error(`The Ifthenpay emulator has no reference for session ${checkout.session_id}.`);
      return emulators.ifthenpay.pay(payment.requestId);
    },
  },
  {
    label: 'multibanco-tampered',
    checkout: 'multibanco',
    event: 'Multibanco paid callback (GET)',
    note: 'tampered: the amount in the URL is not what the reference was for',
    expectStatus: 400,
    build: (context) => {
      const callback = multibancoCallback(context);
      return { ...callback, query: { ...callback.query, amount: '0.01' } };
    },
  },
  {
    label: 'multibanco-paid',
    checkout: 'multibanco',
    event: 'Multibanco paid callback (GET)',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: multibancoCallback,
  },
  {
    label: 'easypay-paid',
    checkout: 'easypay',
    event: 'capture notification',
    expectStatus: 200,
    expectOutcome: 'accepted',
    build: ({ checkout, emulators }) => {
      const payment = [...emulators.easypay.payments.values()].find((p) => p.key === checkout.session_id);
      if (!payment) throw new Error(`The Easypay emulator has no payment for session ${checkout.session_id}.`);
      return notificationForPayment(emulators.easypay.setStatus(payment.id, 'paid'), { secret: DEMO_SECRETS.easypay });
    },
  },
  {
    label: 'easypay-paid-again',
    checkout: 'easypay',
    event: 'capture notification',
    note: 'duplicate: Easypay notifies again',
    expectStatus: 200,
    expectOutcome: 'duplicate',
    build: resend('easypay-paid'),
  },
];
