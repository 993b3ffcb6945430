import { type PaymentAction, PaymentActions, TenderError } from '@tender/core';
import type { PaymentSessionDTO } from '@tender/payment-module';
import type { AwilixContainer } from 'awilix';
import { runSteps, type Step } from './step-runner.js';
import { afterPaymentHookStep } from './steps/after-payment-hook-step.js';
import { authorizeStep } from './steps/authorize-step.js';
import { completeCartIfPaid } from './steps/complete-cart.js';
import { recordCaptureStep } from './steps/record-capture-step.js';
import { recordRefundStep } from './steps/record-refund-step.js';
import { STATUS_FOR_ACTION, sessionStatusStep } from './steps/session-status-step.js';
import type { ProcessPaymentInput, ProcessPaymentResult, RunState, WorkflowDependencies } from './types.js';

/** The payment steps for each action; the cart is completed after them, outside compensation. */
function stepsFor(action: PaymentAction): Step<RunState, unknown>[] | undefined {
  switch (action) {
    case PaymentActions.AUTHORIZED:
      return [authorizeStep, afterPaymentHookStep];
    case PaymentActions.CAPTURED:
      // No payment yet (auto-capture, or `captured` overtook `authorized`): authorize first, then record.
      return [authorizeStep, recordCaptureStep, afterPaymentHookStep];
    case PaymentActions.REFUNDED:
      return [recordRefundStep];
    default:
      return STATUS_FOR_ACTION[action] ? [sessionStatusStep] : undefined;
  }
}

const COMPLETES_CART = new Set<PaymentAction>([PaymentActions.AUTHORIZED, PaymentActions.CAPTURED]);

function resolveDependencies(container: AwilixContainer): WorkflowDependencies {
  return {
    paymentModuleService: container.resolve('paymentModuleService'),
    eventBus: container.resolve('eventBus'),
    logger: container.resolve('logger'),
    cartPort: container.resolve('cartPort', { allowUnregistered: true }) ?? null,
    afterPaymentHook: container.resolve('afterPaymentHook', { allowUnregistered: true }) ?? null,
  };
}

/**
 * Applies one webhook action: authorizes or records the capture/refund/status, then completes the
 * cart once the collection is paid. Every step is idempotent and every state change happens under
 * the payment collection's row lock (inside the service), so retries, duplicates, reordering and a
 * racing storefront converge on one payment, one capture and one order.
 */
export function processPaymentWorkflow(container: AwilixContainer) {
  return {
    async run({ input }: { input: ProcessPaymentInput }): Promise<ProcessPaymentResult> {
      const deps = resolveDependencies(container);
      const base = { action: input.action, session_id: input.data?.session_id };
      const ignore = (reason: string): ProcessPaymentResult => {
        deps.logger.info({ ...base, event_id: input.event_id, reason }, 'payment webhook ignored');
        return { outcome: 'ignored', reason, ...base };
      };

      const steps = stepsFor(input.action);
      if (!steps) return ignore(`action "${input.action}" needs no change`);
      if (!input.data?.session_id) return ignore('the event names no payment session');

      let session: PaymentSessionDTO;
      try {
        session = await deps.paymentModuleService.retrievePaymentSession(input.data.session_id);
      } catch (error) {
        if (TenderError.is(error, 'not_found')) return ignore(`payment session ${input.data.session_id} does not exist`);
        throw error;
      }
      if (input.tenant && session.tenant !== input.tenant) {
        // Never let one tenant's webhook touch another tenant's payment, whatever its payload says.
        return ignore(`payment session ${session.id} belongs to another tenant`);
      }

      const state: RunState = { input, session, deps };
      await runSteps(state, steps);

      const cart = COMPLETES_CART.has(input.action)
        ? await completeCartIfPaid(deps, session.payment_collection_id, state.collectionStatus)
        : {
            collection_status: (await deps.paymentModuleService.retrievePaymentCollection(session.payment_collection_id)).status,
          };
      return {
        outcome: 'processed',
        ...base,
        payment_id: state.payment?.id,
        payment_collection_id: session.payment_collection_id,
        ...cart,
      };
    },
  };
}
