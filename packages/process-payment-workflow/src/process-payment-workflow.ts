import { type PaymentAction, PaymentActions, TenderError } from '@tender/core';
import {
  ForeignWebhookError,
  foreignReason,
  type PaymentSessionDTO,
  ProviderContradictsWebhookError,
} from '@tender/payment-module';
import { runSteps, type Step, StepFailedError } from './step-runner.js';
import { afterPaymentHookStep } from './steps/after-payment-hook-step.js';
import { type Authorized, authorizeStep } from './steps/authorize-step.js';
import { type CartStep, completeCartIfPaid } from './steps/complete-cart.js';
import { type CaptureRecord, recordCaptureStep } from './steps/record-capture-step.js';
import { recordRefundStep } from './steps/record-refund-step.js';
import { STATUS_FOR_ACTION, sessionStatusStep } from './steps/session-status-step.js';
import type { ProcessPaymentInput, ProcessPaymentResult, RunState, WorkflowDependencies } from './types.js';
import { webhookClaim } from './webhook-claim.js';

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
 * cart once the collection is paid in full. Every step is idempotent and every state change happens under
 * the payment collection's row lock (inside the service), where the webhook's claim is checked against the
 * session, so retries, duplicates, reordering and a racing storefront converge on one payment, one capture
 * and one order. Runs of the same moment (a worker's batch) share their commits inside the service.
 *
 * `deps` is what `createPaymentModule` hands it (its service, logger, and the `cart` and
 * `afterPaymentHook` options); a test may call it with its own.
 */
export function processPaymentWorkflow(deps: WorkflowDependencies) {
  return {
    run({ input }: { input: ProcessPaymentInput }): Promise<ProcessPaymentResult> {
      return runWorkflow(deps, input);
    },
  };
}

/** What every result of a run repeats. */
interface RunBase {
  action: PaymentAction;
  session_id?: string;
}

async function runWorkflow(deps: WorkflowDependencies, input: ProcessPaymentInput): Promise<ProcessPaymentResult> {
  const base: RunBase = { action: input.action, session_id: input.data?.session_id };
  const steps = stepsFor(input.action);
  if (!steps) return ignored(deps, input, base, `action "${input.action}" needs no change`);
  const sessionId = input.data?.session_id;
  if (!sessionId) return ignored(deps, input, base, 'the event names no payment session');
  const authorizes = AUTHORIZES.has(input.action);
  // An authorizing event reads nothing here: the service reads, checks and writes the session together
  // with the other events of the moment. The others are checked against their session first.
  let collectionId: string | undefined;
  if (!authorizes) {
    const session = await findSession(deps, sessionId);
    if (!session) return ignored(deps, input, base, `payment session ${sessionId} does not exist`);
    const foreign = foreignReason(session, webhookClaim(input));
    if (foreign) return refused(deps, input, base, foreign);
    collectionId = session.payment_collection_id;
  }

  const state: RunState = { input, sessionId, deps };
  let outputs: unknown[];
  try {
    outputs = await runSteps(state, steps);
  } catch (error) {
    const cause = error instanceof StepFailedError ? error.cause : error;
    if (TenderError.is(cause, 'not_found') && authorizes) {
      return ignored(deps, input, base, `payment session ${sessionId} does not exist`);
    }
    // Checked again under the collection's lock, where the change is made.
    if (ForeignWebhookError.matches(cause)) return refused(deps, input, base, cause.reason);
    if (ProviderContradictsWebhookError.matches(cause)) return contradicted(deps, input, cause, base);
    throw error;
  }
  return afterSteps(state, base, outputs, collectionId);
}

/** The steps went through: the cart, once the collection is paid in full, and the run's result. */
async function afterSteps(
  state: RunState,
  base: RunBase,
  outputs: unknown[],
  checkedCollectionId: string | undefined,
): Promise<ProcessPaymentResult> {
  const { deps, input } = state;
  const authorized = AUTHORIZES.has(input.action) ? (outputs[0] as Authorized) : undefined;
  const capture = input.action === PaymentActions.CAPTURED ? (outputs[1] as CaptureRecord) : undefined;
  const collectionId = checkedCollectionId ?? authorized!.payment.payment_collection_id;
  // The status the authorization committed says enough unless something changed the collection since.
  const known = !deps.afterPaymentHook && (capture?.recorded ?? '0') === '0' ? authorized?.collection_status : undefined;
  const cart: CartStep = authorized
    ? await completeCartIfPaid(deps, collectionId, known)
    : { collection_status: (await deps.paymentModuleService.retrievePaymentCollection(collectionId)).status };
  // The authorization stands (and its paid cart is completed, whose event goes with the outcome); the capture
  // the gateway has not confirmed yet waits.
  if (capture?.unconfirmed) return { ...contradicted(deps, input, capture.unconfirmed, base), events: cart.events };
  return {
    outcome: 'processed',
    ...base,
    payment_id: state.payment?.id,
    payment_collection_id: collectionId,
    ...cart,
  };
}

function ignored(deps: WorkflowDependencies, input: ProcessPaymentInput, base: RunBase, reason: string): ProcessPaymentResult {
  deps.logger.info({ ...base, event_id: input.event_id, reason }, 'payment webhook ignored');
  return { outcome: 'ignored', reason, ...base };
}

/** A verified webhook aimed at a session that is not its own: worth an operator's attention. */
function refused(deps: WorkflowDependencies, input: ProcessPaymentInput, base: RunBase, reason: string): ProcessPaymentResult {
  deps.logger.warn(
    { ...base, provider: input.provider_id, tenant: input.tenant, event_id: input.event_id, reason },
    'payment webhook ignored: not its own session',
  );
  return { outcome: 'ignored', reason, foreign: true, ...base };
}

/**
 * The gateway's own status contradicts the webhook: retried (the inbox backs off) while the gateway may
 * still be catching up, then rejected with nothing more applied.
 */
function contradicted(
  deps: WorkflowDependencies,
  input: ProcessPaymentInput,
  error: ProviderContradictsWebhookError,
  base: RunBase,
): ProcessPaymentResult {
  if ((input.attempts ?? 1) < CONTRADICTED_ATTEMPTS) throw error;
  deps.logger.warn(
    { ...base, event_id: input.event_id, attempts: input.attempts, reason: error.message },
    'payment webhook rejected: the provider keeps contradicting it',
  );
  return { outcome: 'rejected', reason: error.message, ...base };
}
