import type { CartPort } from '@tender/core';
import type { AwilixContainer } from 'awilix';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { OutboxOptions } from '../outbox/start-outbox.js';
import type { ProviderRegistration } from '../providers/registry.js';
import type { InboxEvent, ProcessingResult } from '../webhooks/inbox-event.js';
import type { WorkerOptions } from '../webhooks/worker.js';

export type WorkflowInput = InboxEvent & { webhook_event_id: string };

/** What `processPaymentWorkflow` looks like to the module: `workflow(container).run({ input })`. */
export type WorkflowFactory = (container: AwilixContainer) => {
  /** Runs one event. */
  run(args: { input: WorkflowInput }): Promise<ProcessingResult>;
};

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
