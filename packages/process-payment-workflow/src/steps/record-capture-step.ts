import { compareAmounts } from '@tender/core';
import { ProviderContradictsWebhookError } from '@tender/payment-module';
import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';
import { webhookClaim } from '../webhook-claim.js';

/**
 * Records what the provider reports as captured. The provider already moved the money, so this never
 * asks it to capture; the reported amount is its running total, which makes repeats change nothing.
 */
export const recordCaptureStep: Step<RunState, { recorded: string }> = {
  name: 'record-provider-capture',
  async invoke(state) {
    // The authorization that created the payment already recorded this webhook's capture.
    if (state.captureRecorded) return { recorded: '0' };
    const payment = state.payment!;
    const amount = state.input.data?.amount ?? payment.amount;
    const reference = state.input.data?.reference;
    // A running total already reached (the authorization found the money captured, or a repeat) needs
    // no second transaction: the service would record nothing.
    if (!reference && compareAmounts(payment.captured_amount, amount) >= 0) return { recorded: '0' };
    let result: Awaited<ReturnType<typeof state.deps.paymentModuleService.recordProviderCapture>>;
    try {
      result = await state.deps.paymentModuleService.recordProviderCapture(payment.id, amount, {
        reference,
        webhook: webhookClaim(state.input),
      });
    } catch (error) {
      // Not a failure of this run's authorization, which must not be compensated for it.
      if (!ProviderContradictsWebhookError.matches(error)) throw error;
      state.unconfirmedCapture = error;
      return { recorded: '0' };
    }
    const { recorded, payment: updated } = result;
    state.payment = updated;
    if (recorded !== '0') state.collectionStatus = undefined;
    return { recorded };
  },
};
