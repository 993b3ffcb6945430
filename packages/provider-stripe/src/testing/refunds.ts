import { EmulatedStripeError } from './emulated-error.js';
import type { EmulatorStore } from './emulator-store.js';
import type { FormObject } from './form-body.js';
import { buildStripeObject, type StripeObject, stripeId, unixNow } from './objects.js';
import { allowOnly, metadataOf, positiveInteger, str } from './params.js';

export function createRefund(store: EmulatorStore, params: FormObject): StripeObject {
  allowOnly(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'instructions_email']);
  const charge = chargeToRefund(store, params);
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
    created: unixNow(),
    status: 'succeeded',
  });
  store.refunds.set(refund.id as string, refund);
  charge.amount_refunded = (charge.amount_refunded as number) + amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  return refund;
}

/** The charge a refund names, directly or through its PaymentIntent's latest charge. */
function chargeToRefund(store: EmulatorStore, params: FormObject): StripeObject {
  const intentId = str(params, 'payment_intent');
  const chargeId = str(params, 'charge');
  if (intentId) {
    const intent = store.paymentIntent(intentId);
    if (intent.status !== 'succeeded' || typeof intent.latest_charge !== 'string') {
      throw EmulatedStripeError.invalidRequest(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, {
        code: 'charge_not_refundable',
        param: 'payment_intent',
      });
    }
    return store.charge(intent.latest_charge);
  }
  if (chargeId) return store.charge(chargeId);
  throw EmulatedStripeError.invalidRequest(
    'One of the following params should be provided for this request: payment_intent or charge.',
    {
      code: 'parameter_missing',
    },
  );
}
