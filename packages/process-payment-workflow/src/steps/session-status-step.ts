import { type PaymentAction, PaymentActions, type PaymentSessionStatus } from '@tender/core';
import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';
import { webhookClaim } from '../webhook-claim.js';

/** Webhook actions that move no money, and the session status each one records. */
export const STATUS_FOR_ACTION: Partial<Record<PaymentAction, PaymentSessionStatus>> = {
  [PaymentActions.FAILED]: 'error',
  [PaymentActions.CANCELED]: 'canceled',
  [PaymentActions.REQUIRES_MORE]: 'requires_more',
  [PaymentActions.PENDING]: 'pending',
  [PaymentActions.PENDING_AUTHORIZATION]: 'pending_authorization',
};

/**
 * Records the status; the service refuses to move an authorized or captured session backwards, and writes
 * payment.failed / payment.canceled in the transaction of the change.
 */
export const sessionStatusStep: Step<RunState, { changed: boolean }> = {
  name: 'update-session-status',
  async invoke(state) {
    const status = STATUS_FOR_ACTION[state.input.action]!;
    const { changed } = await state.deps.paymentModuleService.updatePaymentSessionStatus(
      state.sessionId,
      status,
      webhookClaim(state.input),
    );
    return { changed };
  },
};
