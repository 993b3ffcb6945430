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
    const service = state.deps.paymentModuleService;
    const [existing] = await service.listPayments({ payment_session_id: state.session.id });
    if (existing) {
      state.payment = existing;
      return { payment: existing, created: false };
    }
    const verifiedWebhookStatus = state.input.action === 'captured' ? 'captured' : 'authorized';
    state.payment = await service.authorizePaymentSession(state.session.id, {}, { verifiedWebhookStatus });
    return { payment: state.payment, created: true };
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
