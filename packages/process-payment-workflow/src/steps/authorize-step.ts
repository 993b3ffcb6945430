import type { PaymentDTO, WebhookAuthorizationInput } from '@tender/payment-module';
import type { Step } from '../step-runner.js';
import type { ProcessPaymentInput, RunState } from '../types.js';
import { webhookClaim } from '../webhook-claim.js';

/** What the authorization step hands on: the payment, and the collection's status when this run created it. */
export interface Authorized {
  payment: PaymentDTO;
  created: boolean;
  collection_status?: string;
}

/**
 * Makes sure the session has its payment: authorizes it when this run is the first to see it. The service
 * checks the webhook's claim against the session under the collection's lock and asks the gateway where it
 * can; a `captured` webhook for a session with no payment yet records its capture in the same transaction.
 * Compensation cancels only a payment this run created and that holds no captured money.
 */
export const authorizeStep: Step<RunState, Authorized> = {
  name: 'authorize-payment-session',
  async invoke(state) {
    const result = await state.deps.paymentModuleService.applyWebhookAuthorization(
      state.sessionId,
      authorizationRequest(state.input),
    );
    state.payment = result.payment;
    return result;
  },
  async compensate({ payment, created }, state) {
    if (!created) return;
    const current = await state.deps.paymentModuleService.retrievePayment(payment.id);
    if (current.captures.length > 0 || current.canceled_at) return;
    await state.deps.paymentModuleService.cancelPayment(payment.id);
    state.deps.logger.warn(
      { payment_id: payment.id, session_id: state.sessionId },
      'authorization compensated: payment canceled',
    );
  },
};

/** What the webhook asks of the session. */
function authorizationRequest(input: ProcessPaymentInput): WebhookAuthorizationInput {
  const captured = input.action === 'captured';
  return {
    status: captured ? 'captured' : 'authorized',
    ...webhookClaim(input),
    amount: input.data?.amount,
    capture: captured ? { amount: input.data?.amount, reference: input.data?.reference } : undefined,
  };
}
