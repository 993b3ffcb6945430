import type { PaymentDTO } from '@tender/payment-module';
import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';

/**
 * Makes sure the session has its payment: authorizes it when this run is the first to see it.
 * Compensation cancels only a payment this run created and that holds no captured money.
 */
export const authorizeStep: Step<RunState, { payment: PaymentDTO; created: boolean }> = {
  name: 'authorize-payment-session',
  async invoke(state) {
    const { action, data } = state.input;
    const captured = action === 'captured';
    // A `captured` webhook for a session with no payment yet records its capture in the same transaction.
    const { payment, created, collection_status } = await state.deps.paymentModuleService.applyWebhookAuthorization(
      state.session.id,
      {
        status: captured ? 'captured' : 'authorized',
        capture: captured ? { amount: data?.amount, reference: data?.reference } : undefined,
      },
    );
    state.payment = payment;
    state.captureRecorded = captured && created;
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
