import type { ProviderWebhookPayload } from '@tender/core';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../api-version.js';
import { buildStripeObject, CARD_DECLINED, fixtureKindForEvent, type StripeObject, stripeId, unixNow } from './objects.js';

export interface CreateStripeWebhookInput {
  /** The endpoint signing secret to sign with (`whsec_…`). */
  secret: string;
  /** Event type, e.g. `payment_intent.succeeded`. */
  type: string;
  /**
   * Fields of the event's object. They are laid over Stripe's example object of that kind, after the fields
   * the event type implies (a `payment_intent.succeeded` object is `succeeded` with `amount_received = amount`),
   * so `{ id, amount, currency, metadata: { session_id } }` is enough for a realistic event.
   */
  object: StripeObject;
  /** Event id (`evt_…`); random when omitted. Reuse one to model Stripe redelivering the same event. */
  id?: string;
  /** Signing time in unix seconds (default now): set it in the past to model a replay. */
  timestamp?: number;
  previousAttributes?: StripeObject;
}

export interface StripeWebhookDelivery {
  method: 'POST';
  headers: { 'stripe-signature': string; 'content-type': string };
  /** The exact bytes Stripe would send (pretty-printed JSON, as Stripe sends it). */
  rawBody: Buffer;
  event: StripeObject & { id: string; type: string; data: { object: StripeObject } };
}

/** What a PaymentIntent event leaves unset unless its status sets it: no money held or received, no error, nothing pending. */
const QUIET_INTENT = { amount_received: 0, amount_capturable: 0, last_payment_error: null, next_action: null, processing: null };

const intentIn = (status: string, fields: StripeObject = {}): StripeObject => ({ status, ...QUIET_INTENT, ...fields });

const checkoutSession = (status: string, paymentStatus: string, amount: number): StripeObject => ({
  status,
  payment_status: paymentStatus,
  amount_total: amount,
  amount_subtotal: amount,
  currency: 'usd',
});

/** Fields Stripe sets on an event's object for each event type, given the object's amount. */
function impliedFields(type: string, amount: number): StripeObject {
  switch (type) {
    case 'payment_intent.succeeded':
      return intentIn('succeeded', { amount_received: amount });
    case 'payment_intent.amount_capturable_updated':
      return intentIn('requires_capture', { capture_method: 'manual', amount_capturable: amount });
    case 'payment_intent.payment_failed':
      return intentIn('requires_payment_method', { last_payment_error: { ...CARD_DECLINED } });
    case 'payment_intent.canceled':
      return intentIn('canceled', { cancellation_reason: 'requested_by_customer', canceled_at: unixNow() });
    case 'payment_intent.processing':
      return intentIn('processing', { processing: { type: 'card', card: { customer_notification: null } } });
    case 'payment_intent.requires_action':
      return intentIn('requires_action', {
        next_action: {
          type: 'redirect_to_url',
          redirect_to_url: { return_url: 'https://example.com/return', url: 'https://hooks.stripe.com/redirect' },
        },
      });
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutSession('complete', 'paid', amount);
    case 'checkout.session.async_payment_failed':
      return checkoutSession('complete', 'unpaid', amount);
    case 'checkout.session.expired':
      return checkoutSession('expired', 'unpaid', amount);
    case 'charge.refunded':
      return { refunded: true, captured: true, amount_captured: amount, amount_refunded: amount, status: 'succeeded' };
    case 'refund.created':
    case 'refund.updated':
      return { status: 'succeeded' };
    case 'charge.dispute.created':
      return { status: 'needs_response' };
    default:
      return {};
  }
}

/** The event object a webhook of `type` carries: fixture, then implied fields, then the caller's fields. */
export function buildEventObject(type: string, object: StripeObject): StripeObject {
  const kind = fixtureKindForEvent(type);
  const base = kind ? buildStripeObject(kind) : {};
  const amount = (object.amount ?? object.amount_total ?? base.amount ?? base.amount_total ?? 0) as number;
  return { ...base, ...impliedFields(type, amount), ...structuredClone(object) };
}

/**
 * A webhook delivery exactly as Stripe sends it: an event built from Stripe's example objects, serialized as
 * Stripe does, signed with the SDK's own `generateTestHeaderString`. POST `rawBody` with `headers` to
 * `/hooks/payment/stripe_stripe`, or hand it to a provider with `toProviderWebhookPayload`.
 */
export function createStripeWebhook(input: CreateStripeWebhookInput): StripeWebhookDelivery {
  const timestamp = input.timestamp ?? unixNow();
  const event = {
    ...buildStripeObject('event'),
    id: input.id ?? stripeId('evt'),
    api_version: STRIPE_API_VERSION,
    created: timestamp,
    data: {
      object: buildEventObject(input.type, input.object),
      ...(input.previousAttributes ? { previous_attributes: input.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: input.type,
  } as StripeWebhookDelivery['event'];
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: input.secret, timestamp });
  return {
    method: 'POST',
    headers: { 'stripe-signature': signature, 'content-type': 'application/json; charset=utf-8' },
    rawBody: Buffer.from(payload, 'utf8'),
    event,
  };
}

/** The payload a provider's `getWebhookActionAndData` receives for this delivery (what the HTTP layer builds). */
export function toProviderWebhookPayload(
  delivery: Pick<StripeWebhookDelivery, 'headers' | 'rawBody'> & { method?: string },
): ProviderWebhookPayload {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(delivery.rawBody.toString('utf8'));
  } catch {
    // Tests deliberately send broken bodies; the provider reports them.
  }
  return { data, rawData: delivery.rawBody, headers: { ...delivery.headers }, query: {}, method: delivery.method ?? 'POST' };
}
