import { TenderError } from '@tender/core';
import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';
import { webhookClaim } from '../webhook-claim.js';

/** Records a refund the provider made (its running refunded total), without calling it again. */
export const recordRefundStep: Step<RunState, { recorded: string }> = {
  name: 'record-provider-refund',
  async invoke(state) {
    const [payment] = await state.deps.paymentModuleService.listPayments({ payment_session_id: state.sessionId });
    if (!payment || payment.captures.length === 0) {
      // Out of order: the capture has not been recorded yet. Failing makes the inbox retry later.
      throw new TenderError(
        'conflict',
        `Refund for session ${state.sessionId} arrived before its capture was recorded; will retry.`,
      );
    }
    const { recorded, payment: updated } = await state.deps.paymentModuleService.recordProviderRefund(
      payment.id,
      state.input.data!.amount,
      { reference: state.input.data!.reference, webhook: webhookClaim(state.input) },
    );
    state.payment = updated;
    return { recorded };
  },
};
