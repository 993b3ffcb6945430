import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';

/**
 * Records what the provider reports as captured. The provider already moved the money, so this never
 * asks it to capture; the reported amount is its running total, which makes repeats change nothing.
 */
export const recordCaptureStep: Step<RunState, { recorded: string }> = {
  name: 'record-provider-capture',
  async invoke(state) {
    const payment = state.payment!;
    const amount = state.input.data?.amount ?? payment.amount;
    const { recorded, payment: updated } = await state.deps.paymentModuleService.recordProviderCapture(payment.id, amount, {
      reference: state.input.data?.reference,
    });
    state.payment = updated;
    return { recorded };
  },
};
