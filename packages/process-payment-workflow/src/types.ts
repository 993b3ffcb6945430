import type { PaymentAction } from '@tender/core';
import type {
  AfterPaymentHook,
  NewDomainEvent,
  PaymentDTO,
  PaymentWebhookInput,
  WorkflowDependencies,
} from '@tender/payment-module';

/** The event a run applies (an inbox row is one). */
export type ProcessPaymentInput = PaymentWebhookInput;

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
  /** The cart's `cart.completed`, which the worker writes with this event's outcome. */
  events?: NewDomainEvent[];
  [key: string]: unknown;
}

/** What the module hands the workflow: its service and logger, and the `cart` and `afterPaymentHook` options. */
export type { AfterPaymentHook, WorkflowDependencies };

/** What the payment steps of one run share: the event, its session's id, and the payment once a step has it. */
export interface RunState {
  input: ProcessPaymentInput;
  sessionId: string;
  deps: WorkflowDependencies;
  payment?: PaymentDTO;
}
