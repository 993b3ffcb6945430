import { type PaymentAction, PaymentActions, TenderError } from '@tender/core';
import {
  ForeignWebhookError,
  foreignReason,
  type PaymentSessionDTO,
  ProviderContradictsWebhookError,
} from '@tender/payment-module';
import type { AwilixContainer } from 'awilix';
import { runSteps, type Step, StepFailedError } from './step-runner.js';
import { afterPaymentHookStep } from './steps/after-payment-hook-step.js';
import { authorizationRequest, authorizeStep } from './steps/authorize-step.js';
import { completeCartIfPaid } from './steps/complete-cart.js';
import { recordCaptureStep } from './steps/record-capture-step.js';
import { recordRefundStep } from './steps/record-refund-step.js';
import { STATUS_FOR_ACTION, sessionStatusStep } from './steps/session-status-step.js';
import { webhookClaim } from './webhook-claim.js';
import type { PreparedRun, ProcessPaymentInput, ProcessPaymentResult, RunState, WorkflowDependencies } from './types.js';

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

/** The actions whose first step authorizes the session; a paid collection then completes its cart. */
const AUTHORIZES = new Set<PaymentAction>([PaymentActions.AUTHORIZED, PaymentActions.CAPTURED]);

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
 * How often the provider's own status may contradict a webhook before the event is rejected: the gateway
 * may lag its webhook by a few seconds, and the inbox's backoff spaces these attempts out.
 */
export const CONTRADICTED_ATTEMPTS = 5;

async function findSession(deps: WorkflowDependencies, id: string): Promise<PaymentSessionDTO | null> {
  try {
    return await deps.paymentModuleService.retrievePaymentSession(id);
  } catch (error) {
    if (TenderError.is(error, 'not_found')) return null;
    throw error;
  }
}

/**
 * Applies one webhook action: authorizes or records the capture/refund/status, then completes the
 * cart once the collection is paid. Every step is idempotent and every state change happens under
 * the payment collection's row lock (inside the service), so retries, duplicates, reordering and a
 * racing storefront converge on one payment, one capture and one order.
 */
export function processPaymentWorkflow(container: AwilixContainer) {
  return {
    /**
     * For a worker's batch: reads the sessions of all inputs at once and applies the authorizations they
     * ask for together (`applyWebhookAuthorizations`: one transaction for the new payments), so each
     * run then skips its own read and authorization. The tenant check comes first, as in `run`.
     */
    async prepare(inputs: ProcessPaymentInput[]): Promise<PreparedRun[]> {
      const service = resolveDependencies(container).paymentModuleService;
      const sessionIds = inputs.filter((i) => stepsFor(i.action) && i.data?.session_id).map((i) => i.data!.session_id!);
      if (sessionIds.length === 0) return [];
      const sessions = new Map((await service.retrievePaymentSessions(sessionIds)).map((s) => [s.id, s]));
      const prepared = inputs.map((input): PreparedRun => ({ session: sessions.get(input.data?.session_id ?? '') ?? null }));
      const authorizing = inputs.flatMap((input, i) => {
        const session = prepared[i]!.session;
        return session && !foreignReason(session, webhookClaim(input)) && AUTHORIZES.has(input.action) ? [i] : [];
      });
      if (authorizing.length === 0) return prepared;
      const answers = await service.applyWebhookAuthorizations(
        authorizing.map((i) => authorizationRequest(inputs[i]!, prepared[i]!.session!.id)),
      );
      authorizing.forEach((i, n) => {
        prepared[i]!.authorization = answers[n];
      });
      return prepared;
    },

    async run({ input, prepared }: { input: ProcessPaymentInput; prepared?: unknown }): Promise<ProcessPaymentResult> {
      const deps = resolveDependencies(container);
      const base = { action: input.action, session_id: input.data?.session_id };
      const ignore = (reason: string): ProcessPaymentResult => {
        deps.logger.info({ ...base, event_id: input.event_id, reason }, 'payment webhook ignored');
        return { outcome: 'ignored', reason, ...base };
      };
      // A verified webhook aimed at a session that is not its own: worth an operator's attention.
      const refuse = (reason: string): ProcessPaymentResult => {
        deps.logger.warn(
          { ...base, provider: input.provider_id, tenant: input.tenant, event_id: input.event_id, reason },
          'payment webhook ignored: not its own session',
        );
        return { outcome: 'ignored', reason, foreign: true, ...base };
      };

      const steps = stepsFor(input.action);
      if (!steps) return ignore(`action "${input.action}" needs no change`);
      if (!input.data?.session_id) return ignore('the event names no payment session');

      const ready = prepared as PreparedRun | undefined;
      const session = ready ? ready.session : await findSession(deps, input.data.session_id);
      if (!session) return ignore(`payment session ${input.data.session_id} does not exist`);
      const foreign = foreignReason(session, webhookClaim(input));
      if (foreign) return refuse(foreign);

      const state: RunState = { input, session, deps, preparedAuthorization: ready?.authorization };
      try {
        await runSteps(state, steps);
      } catch (error) {
        const cause = error instanceof StepFailedError ? error.cause : error;
        // Checked again under the collection's lock, where the change is made.
        if (ForeignWebhookError.matches(cause)) return refuse(cause.reason);
        if (ProviderContradictsWebhookError.matches(cause)) return contradicted(deps, input, cause, base);
        throw error;
      }
      const cart = AUTHORIZES.has(input.action)
        ? await completeCartIfPaid(deps, session.payment_collection_id, state.collectionStatus)
        : {
            collection_status: (await deps.paymentModuleService.retrievePaymentCollection(session.payment_collection_id)).status,
          };
      // The authorization stands (and its paid cart is completed); the capture the gateway has not confirmed yet waits.
      if (state.unconfirmedCapture) return contradicted(deps, input, state.unconfirmedCapture, base);
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

/**
 * The gateway's own status contradicts the webhook: retried (the inbox backs off) while the gateway may
 * still be catching up, then rejected with nothing more applied.
 */
function contradicted(
  deps: WorkflowDependencies,
  input: ProcessPaymentInput,
  error: ProviderContradictsWebhookError,
  base: { action: PaymentAction; session_id?: string },
): ProcessPaymentResult {
  if ((input.attempts ?? 1) < CONTRADICTED_ATTEMPTS) throw error;
  deps.logger.warn(
    { ...base, event_id: input.event_id, attempts: input.attempts, reason: error.message },
    'payment webhook rejected: the provider keeps contradicting it',
  );
  return { outcome: 'rejected', reason: error.message, ...base };
}
