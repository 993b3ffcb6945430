import type { CartPort, PaymentAction, WebhookActionData } from '@tender/core';
import type {
  EventBus,
  Logger,
  PaymentDTO,
  PaymentModuleService,
  PaymentSessionDTO,
  WebhookAuthorizationResult,
} from '@tender/payment-module';

export interface ProcessPaymentInput {
  action: PaymentAction;
  data?: WebhookActionData | null;
  event_id?: string;
  /** The tenant the webhook arrived for; a session of another tenant is never touched. */
  tenant?: string;
  webhook_event_id?: string;
}

export interface ProcessPaymentResult {
  outcome: 'processed' | 'ignored';
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
 * stock reservation…). Throwing from it compensates the authorization this run created.
 */
export type AfterPaymentHook = (args: {
  input: ProcessPaymentInput;
  session: PaymentSessionDTO;
  payment?: PaymentDTO;
  /** Set when the authorization step also recorded the webhook's capture. */
  captureRecorded?: boolean;
  /** The collection's status after the last step that changed it, when that step reported it. */
  collectionStatus?: string;
}) => Promise<void>;

/** What the workflow resolves from the module's container. */
export interface WorkflowDependencies {
  paymentModuleService: PaymentModuleService;
  eventBus: EventBus;
  logger: Logger;
  cartPort: CartPort | null;
  afterPaymentHook?: AfterPaymentHook | null;
}

/**
 * What `prepare` found for one input of a batch: its session (null: none by that id), and, for an
 * authorizing action, the answer of the batch's shared authorization.
 */
export interface PreparedRun {
  session: PaymentSessionDTO | null;
  authorization?: PromiseSettledResult<WebhookAuthorizationResult>;
}

/** State the payment steps share within one run. */
export interface RunState {
  input: ProcessPaymentInput;
  session: PaymentSessionDTO;
  deps: WorkflowDependencies;
  payment?: PaymentDTO;
  /** Set when the authorization step also recorded the webhook's capture. */
  captureRecorded?: boolean;
  /** The collection's status after the last step that changed it, when that step reported it. */
  collectionStatus?: string;
  /** The authorization `prepare` already applied for this input, used instead of applying it again. */
  preparedAuthorization?: PromiseSettledResult<WebhookAuthorizationResult>;
}
