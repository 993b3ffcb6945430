/** Shared with @tender/process-payment-workflow, which batches cart completions the same way. */
export { GroupCommit } from './concurrency/group-commit.js';
export { migrateDatabase, openDatabase } from './database/orm.js';
export { DomainEventsApi, type DomainEventsApiSetup, type OutboxEventDTO } from './events/domain-events-api.js';
export * from './events/event-bus.js';
export { generateId, IdPrefix } from './ids.js';
export { createLogger, type Logger } from './logger.js';
export { DEFAULT_TENANT, entities } from './models/index.js';
export type { OutboxDeliveries } from './models/outbox-event.js';
export { createPaymentModule, type PaymentModule } from './module/create-payment-module.js';
export type {
  AfterPaymentHook,
  PaymentModuleOptions,
  PaymentWebhookInput,
  WorkflowDependencies,
  WorkflowFactory,
} from './module/options.js';
export { checkPaymentModuleOptions, paymentModuleOptionsSchema, postgresUrlProblem } from './module/options-schema.js';
export { startWorker, type WorkerProcess } from './module/start-worker.js';
export type { RelayOptions } from './outbox/relay.js';
export type { OutboxOptions } from './outbox/start-outbox.js';
export { writeOutboxEvents } from './outbox/write-outbox-events.js';
export * from './providers/registry.js';
export type * from './services/account-holders.js';
export type * from './services/authorization.js';
export type * from './services/collections.js';
export type * from './services/dto.js';
export type * from './services/list-options.js';
export type * from './services/movement-records.js';
export type * from './services/movements.js';
export type * from './services/payment-methods.js';
export { PaymentModuleService, type PaymentProviderDTO } from './services/payment-module-service.js';
export type * from './services/payment-queries.js';
export type * from './services/payments.js';
export type * from './services/process-event.js';
export type { ListPaymentProvidersFilter } from './services/providers-list.js';
export type * from './services/refund-reasons.js';
export type * from './services/session-queries.js';
export type * from './services/sessions.js';
export {
  ForeignWebhookError,
  foreignReason,
  ProviderContradictsWebhookError,
  type WebhookClaim,
  type WebhookOrigin,
} from './services/webhook-trust.js';
export { Keyring, parseKey } from './tenants/keyring.js';
export { looksSecret } from './tenants/secret-names.js';
export * from './tenants/tenant-config-store.js';
export { retryDelayMs } from './webhooks/backoff.js';
export type { TenantDirectory } from './webhooks/inbox.js';
export { EVENT_COUNTERS, type MetricsSnapshot, type OutboxGauges, WEBHOOK_COUNTERS, WebhookMetrics } from './webhooks/metrics.js';
export * from './webhooks/webhook-events-api.js';
export type * from './webhooks/webhook-processor.js';
export { WebhookWorker, type WebhookWorkerSetup } from './webhooks/worker.js';
export type { WorkerOptions } from './webhooks/worker-options.js';
