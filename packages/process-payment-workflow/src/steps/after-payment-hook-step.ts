import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';

/** Runs the host's optional hook; its failure compensates the steps before it. */
export const afterPaymentHookStep: Step<RunState, void> = {
  name: 'after-payment-hook',
  async invoke(state) {
    const hook = state.deps.afterPaymentHook;
    if (!hook) return;
    const { payment } = state;
    if (!payment) throw new Error('after-payment-hook runs after the authorization step, which sets the payment.');
    const session = await state.deps.paymentModuleService.retrievePaymentSession(state.sessionId);
    await hook({ input: state.input, session, payment });
  },
};
