import { compareAmounts } from '@tender/core';
import type { PaymentDTO, WebhookAuthorizationRequest, WebhookAuthorizationResult } from '@tender/payment-module';
import type { Step } from '../step-runner.js';
import type { ProcessPaymentInput, RunState } from '../types.js';
import { webhookClaim } from '../webhook-claim.js';

/**
 * Makes sure the session has its payment: authorizes it when this run is the first to see it.
 * Compensation cancels only a payment this run created and that holds no captured money.
 */
export const authorizeStep: Step<RunState, { payment: PaymentDTO; created: boolean }> = {
  name: 'authorize-payment-session',
  async invoke(state) {
    const captured = state.input.action === 'captured';
    const { payment, created, collection_status } = await applied(state);
    state.payment = payment;
    // Only what the authorization itself captured: a gateway that did not confirm the capture is asked again.
    state.captureRecorded = captured && created && compareAmounts(payment.captured_amount, '0') > 0;
    state.collectionStatus = collection_status;
    return { payment, created };
  },
  async compensate({ payment, created }, state) {
    if (!created) return;
    const current = await state.deps.paymentModuleService.retrievePayment(payment.id);
    if (current.captures.length > 0 || current.canceled_at) return;
    await state.deps.paymentModuleService.cancelPayment(payment.id);
    state.deps.logger.warn(
      { payment_id: payment.id, session_id: state.session.id },
      'authorization compensated: payment canceled',
    );
  },
};

/**
 * What the webhook asks of the session. A `captured` webhook for a session with no payment yet records
 * its capture in the same transaction.
 */
export function authorizationRequest(input: ProcessPaymentInput, sessionId: string): WebhookAuthorizationRequest {
  const captured = input.action === 'captured';
  return {
    session_id: sessionId,
    status: captured ? 'captured' : 'authorized',
    ...webhookClaim(input),
    amount: input.data?.amount,
    capture: captured ? { amount: input.data?.amount, reference: input.data?.reference } : undefined,
  };
}

/** The authorization `prepare` applied for this run's batch, or this run's own. */
async function applied(state: RunState): Promise<WebhookAuthorizationResult> {
  const prepared = state.preparedAuthorization;
  if (prepared) {
    if (prepared.status === 'rejected') throw prepared.reason;
    return prepared.value;
  }
  const { session_id, ...request } = authorizationRequest(state.input, state.session.id);
  return state.deps.paymentModuleService.applyWebhookAuthorization(session_id, request);
}
