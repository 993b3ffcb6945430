import type { CartPort, PaymentAction, WebhookActionData } from '@tender/core';
import type {
  Logger,
  OutboxWriter,
  PaymentDTO,
  PaymentModuleService,
  PaymentSessionDTO,
  ProviderContradictsWebhookError,
  WebhookAuthorizationResult,
} from '@tender/payment-module';

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
  eventBus: OutboxWriter;
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
  /** The gateway did not (yet) confirm the capture this webhook reports: the event is tried again. */
  unconfirmedCapture?: ProviderContradictsWebhookError;
}
