import type { CartPort, PaymentAction, WebhookActionData } from '@tender/core';
import type { Logger, OutboxWriter, PaymentDTO, PaymentModuleService, PaymentSessionDTO } from '@tender/payment-module';

export interface ProcessPaymentInput {
  action: PaymentAction;
  data?: WebhookActionData | null;
  event_id?: string;
  /** The provider whose route the webhook arrived on; a session of another provider is never touched. */
  provider_id: string;
  /** The tenant the webhook arrived for; a session of another tenant is never touched. */
  tenant?: string;
  /** How many times this event has been tried, this one included (the inbox counts). */
  attempts?: number;
  webhook_event_id?: string;
}

export interface ProcessPaymentResult {
  /** `rejected`: the provider's own status kept contradicting the webhook, so nothing was applied. */
  outcome: 'processed' | 'ignored' | 'rejected';
  reason?: string;
  action: PaymentAction;
  session_id?: string;
  payment_id?: string;
  payment_collection_id?: string;
  collection_status?: string;
  order_id?: string;
  [key: string]: unknown;
}

/**
 * A host step run after the payment is recorded and before the cart is completed (a fraud check, a
 * stock reservation…). Throwing from it compensates the authorization this run created. It runs only for
 * `authorized` and `captured`, after the authorization step, so it always gets the event, the session as it
 * now stands and the session's payment (with the webhook's capture, when one was recorded).
 */
export type AfterPaymentHook = (args: {
  input: ProcessPaymentInput;
  session: PaymentSessionDTO;
  payment: PaymentDTO;
}) => Promise<void>;

/** What the workflow resolves from the module's container. */
export interface WorkflowDependencies {
  paymentModuleService: PaymentModuleService;
  eventBus: OutboxWriter;
  logger: Logger;
  cartPort: CartPort | null;
  afterPaymentHook?: AfterPaymentHook | null;
}

/** What the payment steps of one run share: the event, its session's id, and the payment once a step has it. */
export interface RunState {
  input: ProcessPaymentInput;
  sessionId: string;
  deps: WorkflowDependencies;
  payment?: PaymentDTO;
}
