import type { Step } from '../step-runner.js';
import type { RunState } from '../types.js';

/** Runs the host's optional hook; its failure compensates the steps before it. */
export const afterPaymentHookStep: Step<RunState, void> = {
  name: 'after-payment-hook',
  async invoke(state) {
    if (!state.deps.afterPaymentHook) return;
    await state.deps.afterPaymentHook({ input: state.input, session: state.session, payment: state.payment });
    // The hook is the host's code and may change the payment: what the steps knew of the collection is stale.
    state.collectionStatus = undefined;
  },
};
