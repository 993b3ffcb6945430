import type { CartPort, PaymentAction, WebhookActionData } from '@tender/core';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { OutboxOptions } from '../outbox/start-outbox.js';
import type { ProviderRegistration } from '../providers/registry.js';
import type { PaymentDTO, PaymentSessionDTO } from '../services/dto.js';
import type { PaymentModuleService } from '../services/payment-module-service.js';
import type { WebhookProcessor } from '../webhooks/webhook-processor.js';
import type { WorkerOptions } from '../webhooks/worker-options.js';

/** The event a workflow run applies, as an after-payment hook sees it (an inbox row is one). */
export interface PaymentWebhookInput {
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

/**
 * A host step the workflow runs after a webhook's payment is recorded and before the cart is completed (a
 * fraud check, a stock reservation…). Throwing from it compensates the authorization that run created. It
 * runs only for `authorized` and `captured`, after the authorization step, so it always gets the event, the
 * session as it now stands and the session's payment (with the webhook's capture, when one was recorded).
 */
export type AfterPaymentHook = (args: {
  input: PaymentWebhookInput;
  session: PaymentSessionDTO;
  payment: PaymentDTO;
}) => Promise<void>;

/**
 * What the module hands the workflow, once, when it starts: plain values, no container. A run's own domain
 * events (a change made outside the service, such as the host's order) go in its result's `events`, which the
 * worker writes with the event's outcome.
 */
export interface WorkflowDependencies {
  paymentModuleService: PaymentModuleService;
  logger: Logger;
  /** The `cart` option, or null. */
  cartPort: CartPort | null;
  /** The `afterPaymentHook` option, or null. */
  afterPaymentHook: AfterPaymentHook | null;
}

/** What `processPaymentWorkflow` looks like to the module: `workflow(dependencies).run({ input })`. */
export type WorkflowFactory = (dependencies: WorkflowDependencies) => WebhookProcessor;

export interface PaymentModuleOptions {
  /** PostgreSQL URL. When absent (and DATABASE_URL is unset) an embedded PostgreSQL is started. */
  databaseUrl?: string;
  providers?: ProviderRegistration[];
  /** Applies pending migrations on start. Default: true for the embedded database, false otherwise. */
  migrate?: boolean;
  /** Runs each stored webhook, e.g. `processPaymentWorkflow` from @tender/process-payment-workflow. */
  workflow?: WorkflowFactory;
  /** The host's cart module, used by the workflow to complete carts. */
  cart?: CartPort;
  /**
   * Runs in the workflow after a webhook's authorization (or capture) is recorded, before the cart is
   * completed; throwing from it undoes the authorization and the inbox retries the event. See AfterPaymentHook.
   */
  afterPaymentHook?: AfterPaymentHook;
  /** Broker adapters every domain event is published to (`@tender/events-nats`, `@tender/events-redis`). */
  eventBus?: EventBus | EventBus[];
  /** The outbox relay of this process: delivery attempts, lease, retention of delivered events. */
  outbox?: OutboxOptions;
  logger?: Logger;
  /** The in-process worker; `false` to run workers only as separate processes (`startWorker()`). */
  worker?: false | WorkerOptions;
  /**
   * Key that encrypts tenant secrets (32 bytes, hex or base64). Default: TENDER_ENCRYPTION_KEY. Keys in
   * `previousEncryptionKeys` (default: TENDER_PREVIOUS_ENCRYPTION_KEYS, comma-separated) still decrypt.
   */
  encryptionKey?: string;
  previousEncryptionKeys?: string[];
  /** Connections in this process's pool (default 10), shared by the app's and the worker's statements. */
  poolSize?: number;
  /** Provider dependencies: a fetch for providers that call HTTP APIs. */
  fetch?: typeof fetch;
}
