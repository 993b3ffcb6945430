import {
  headerValue,
  PaymentActions,
  type ProviderWebhookPayload,
  parseJsonObject,
  TenderError,
  type WebhookActionAndData,
  webhookAmount,
} from '@tender/core';
import type Stripe from 'stripe';
import { fromStripeAmount } from './money.js';
import type { StripeCalls } from './stripe-calls.js';
import {
  paymentIntentIdOf,
  referencedId,
  STRIPE_EVENT_RULES,
  type StripeEventObject,
  sessionIdFromMetadata,
} from './webhook-events.js';
import { STRIPE_SIGNATURE_HEADER, verifyStripeSignature } from './webhook-signature.js';

export interface StripeWebhookSettings {
  /** Signing secrets, several while one is being rolled. */
  webhookSecret: readonly string[];
  /** Seconds a signature stays valid. */
  tolerance: number;
}

/**
 * Turns a Stripe webhook delivery into a Tender action: authenticity first (on the raw bytes), then the event's
 * meaning (`STRIPE_EVENT_RULES`), the session it concerns and its amount in major units. Reads Stripe only when
 * the object itself does not say which session it belongs to.
 */
export class StripeWebhookHandler {
  constructor(
    private readonly stripe: Stripe,
    private readonly calls: StripeCalls,
    private readonly settings: StripeWebhookSettings,
  ) {}

  async handle(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    verifyStripeSignature(
      payload.rawData,
      headerValue(payload.headers, STRIPE_SIGNATURE_HEADER),
      this.settings.webhookSecret,
      this.settings.tolerance,
    );
    const event = parseJsonObject(payload.rawData) as { id?: unknown; type?: unknown; data?: { object?: unknown } };
    const object = event.data?.object;
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || !object || typeof object !== 'object') {
      throw new TenderError('invalid_data', 'Stripe event needs string "id" and "type" and an object in "data.object".');
    }
    const eventId = event.id;
    const eventType = event.type;
    const notSupported: WebhookActionAndData = { action: PaymentActions.NOT_SUPPORTED, event_id: eventId, event_type: eventType };

    const rule = STRIPE_EVENT_RULES[eventType];
    if (!rule) return notSupported;
    const stripeObject = object as StripeEventObject;
    const action = rule.action(stripeObject);
    if (!action) return notSupported;
    const sessionId = await this.resolveSessionId(stripeObject);
    if (!sessionId) return notSupported;

    const minor = rule.refundedTotal ? await this.refundedTotal(stripeObject) : rule.amount(stripeObject);
    const currency = stripeObject.currency;
    if (typeof minor !== 'number' || typeof currency !== 'string') {
      throw new TenderError('invalid_data', `Stripe event ${eventId} (${eventType}) has no amount or currency on its object.`);
    }
    return {
      action,
      event_id: eventId,
      event_type: eventType,
      data: {
        session_id: sessionId,
        amount: webhookAmount(fromStripeAmount(minor, currency), currency, { action, label: `${eventType} amount` }),
        currency_code: currency.toLowerCase(),
        payment_reference: paymentIntentIdOf(stripeObject),
      },
    };
  }

  /**
   * The Tender session an event's object belongs to: our metadata on the object itself (PaymentIntents, and
   * the charges Stripe copies it to), else on the PaymentIntent the object points to. Objects that lead to
   * no session id are not Tender's (another integration on the same account): undefined.
   */
  async resolveSessionId(object: StripeEventObject): Promise<string | undefined> {
    const direct = sessionIdFromMetadata(object);
    if (direct || object.object === 'payment_intent') return direct;
    const expanded = object.payment_intent;
    if (expanded && typeof expanded === 'object') {
      const fromExpanded = sessionIdFromMetadata(expanded as StripeEventObject);
      if (fromExpanded) return fromExpanded;
    }
    let intentId = referencedId(object.payment_intent);
    if (!intentId) {
      const chargeId = referencedId(object.charge);
      const charge = chargeId ? await this.charge(chargeId) : undefined;
      if (!charge) return undefined;
      const fromCharge = sessionIdFromMetadata(charge);
      if (fromCharge) return fromCharge;
      intentId = referencedId(charge.payment_intent);
      if (!intentId) return undefined;
    }
    return sessionIdFromMetadata(await this.paymentIntent(intentId));
  }

  /** The cumulative amount refunded on the charge a refund belongs to (see `refundedTotal` in the rules). */
  async refundedTotal(refund: StripeEventObject): Promise<number | undefined> {
    let chargeId = referencedId(refund.charge);
    const intentId = referencedId(refund.payment_intent);
    if (!chargeId && intentId) chargeId = referencedId((await this.paymentIntent(intentId))?.latest_charge);
    if (!chargeId) return undefined;
    return (await this.charge(chargeId))?.amount_refunded;
  }

  private paymentIntent(id: string): Promise<Stripe.PaymentIntent | undefined> {
    return this.calls.lookup('retrieve PaymentIntent', (options) => this.stripe.paymentIntents.retrieve(id, {}, options));
  }

  private charge(id: string): Promise<Stripe.Charge | undefined> {
    return this.calls.lookup('retrieve Charge', (options) => this.stripe.charges.retrieve(id, {}, options));
  }
}
