import { toMinorUnits } from '@tender/core';
import { buildEasypayNotification } from '@tender/provider-easypay/testing';
import { HMAC_EVENT_ACTIONS, type HmacProviderOptions } from '@tender/provider-hmac';
import { createHmacWebhook } from '@tender/provider-hmac/testing';
import { buildIfthenpayCallback } from '@tender/provider-ifthenpay/testing';
import { STRIPE_WEBHOOK_EVENT_TYPES, type StripeProviderOptions } from '@tender/provider-stripe';
import { createStripeWebhook } from '@tender/provider-stripe/testing';
import { SYSTEM_EVENT_ACTIONS, type SystemProviderOptions } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { CliError } from '../errors.js';
import type { Delivery } from '../http/send-delivery.js';

export interface SimulateInput {
  event: string;
  session: string;
  /** Major units, a decimal string. */
  amount?: string;
  currency?: string;
  /** The gateway's own payment id, for gateways whose notifications name only that (Easypay, Ifthenpay). */
  paymentId?: string;
  /** Reuse an event id to simulate a redelivery. */
  eventId?: string;
}

/** How to build a signed delivery for one kind of provider, with its own testing helper. */
export interface Simulator {
  /** Event names the provider sends, as `tender simulate` and `tender providers list` show them. */
  events(options: unknown): string[];
  build(options: unknown, input: SimulateInput): Delivery;
}

function requireAmount(input: SimulateInput, provider: string): string {
  if (!input.amount) {
    throw new CliError(
      `${provider} events carry the amount: pass --amount (e.g. --amount 10.00), or --database-url so it is read from the session.`,
    );
  }
  return input.amount;
}

const system: Simulator = {
  events: () => Object.keys(SYSTEM_EVENT_ACTIONS),
  build(options, input) {
    const [secret] = (options as SystemProviderOptions).webhookSecrets;
    if (!secret) throw new CliError('The system provider has no webhookSecrets configured, so no event can be signed for it.');
    return createSystemWebhook({
      secret,
      type: input.event,
      session_id: input.session,
      amount: requireAmount(input, 'System provider'),
      currency_code: input.currency,
      id: input.eventId,
    });
  },
};

const stripe: Simulator = {
  events: () => [...STRIPE_WEBHOOK_EVENT_TYPES],
  build(options, input) {
    const currency = input.currency ?? 'usd';
    const amount = toMinorUnits(requireAmount(input, 'Stripe'), currency, 'exact');
    const object: Record<string, unknown> = { currency, metadata: { session_id: input.session } };
    if (input.event.startsWith('checkout.session.')) object.amount_total = amount;
    else object.amount = amount;
    if (input.paymentId) object.id = input.paymentId;
    return createStripeWebhook({
      secret: (options as StripeProviderOptions).webhookSecret[0]!,
      type: input.event,
      object,
      id: input.eventId,
    });
  },
};

const hmac: Simulator = {
  events: (options) => {
    const o = options as HmacProviderOptions;
    return o.mode === 'order-payment'
      ? Object.keys(o.orderPayment.statuses)
      : [...new Set([...Object.keys(HMAC_EVENT_ACTIONS), ...Object.keys(o.events.actions)])];
  },
  build(options, input) {
    const o = options as HmacProviderOptions;
    const orderPayment = o.mode === 'order-payment';
    return createHmacWebhook({
      secret: o.secrets[0]!,
      options: o,
      event: {
        id: input.eventId,
        type: orderPayment ? undefined : input.event,
        status: orderPayment ? input.event : undefined,
        session_id: input.session,
        amount: input.amount,
        currency: input.currency?.toUpperCase() ?? o.defaultCurrency,
      },
    });
  },
};

const ifthenpay: Simulator = {
  events: () => ['paid'],
  build(options, input) {
    if (input.event !== 'paid') throw new CliError('Ifthenpay sends one callback, when the customer pays: use the event "paid".');
    return buildIfthenpayCallback({
      antiPhishingKey: (options as { antiPhishingKey: string }).antiPhishingKey,
      orderId: input.session,
      amount: requireAmount(input, 'Ifthenpay'),
      requestId: input.paymentId ?? input.eventId ?? `sim${Date.now()}`,
    });
  },
};

const easypay: Simulator = {
  events: () => ['authorisation', 'capture', 'refund', 'void'],
  build(options, input) {
    if (!input.paymentId) {
      throw new CliError(
        "Easypay notifications name Easypay's payment id, which the provider then reads back from Easypay's API: " +
          'pass --payment-id <the single payment id> (the session data holds it).',
      );
    }
    return buildEasypayNotification(
      { id: input.paymentId, key: input.session, type: input.event, status: 'success' },
      { secret: (options as { webhookSecret: string }).webhookSecret },
    );
  },
};

/** The simulator for a provider identifier (every Stripe variant shares Stripe's). */
export function simulatorFor(identifier: string): Simulator | undefined {
  if (identifier === 'system') return system;
  if (identifier === 'stripe' || identifier.startsWith('stripe-')) return stripe;
  if (identifier === 'hmac') return hmac;
  if (identifier === 'ifthenpay') return ifthenpay;
  if (identifier === 'easypay') return easypay;
  return undefined;
}
