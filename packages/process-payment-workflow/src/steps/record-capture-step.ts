import { compareAmounts } from '@tender/core';
import { ProviderContradictsWebhookError } from '@tender/payment-module';
import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';
import { webhookClaim } from '../webhook-claim.js';

/** What the capture step recorded; `unconfirmed`: the gateway has not confirmed the capture (yet). */
export interface CaptureRecord {
  recorded: string;
  unconfirmed?: ProviderContradictsWebhookError;
}

/**
 * Records what the provider reports as captured. The provider already moved the money, so this never
 * asks it to capture; the reported amount is its running total, which makes repeats change nothing.
 */
export const recordCaptureStep: Step<RunState, CaptureRecord> = {
  name: 'record-provider-capture',
  async invoke(state) {
    const payment = state.payment!;
    const amount = state.input.data?.amount ?? payment.amount;
    const reference = state.input.data?.reference;
    // A running total already reached (the authorization recorded it, or a repeat) needs no second
    // transaction: the service would record nothing.
    if (!reference && compareAmounts(payment.captured_amount, amount) >= 0) return { recorded: '0' };
    try {
      const { recorded, payment: updated } = await state.deps.paymentModuleService.recordProviderCapture(payment.id, amount, {
        reference,
        webhook: webhookClaim(state.input),
      });
      state.payment = updated;
      return { recorded };
    } catch (error) {
      // Not a failure of this run's authorization, which must not be compensated for it.
      if (!ProviderContradictsWebhookError.matches(error)) throw error;
      return { recorded: '0', unconfirmed: error };
    }
  },
};
