import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebhookReceiver } from '@tender/core';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../database/embedded.js';
import { migrateDatabase, openDatabase } from '../database/orm.js';
import type { DomainEventsApi } from '../events/domain-events-api.js';
import { generateId } from '../ids.js';
import { createLogger, type Logger } from '../logger.js';
import { startOutbox } from '../outbox/start-outbox.js';
import { relayAnnouncer } from '../outbox/write-outbox-events.js';
import { ProviderRegistry } from '../providers/registry.js';
import type { ServiceContext } from '../services/context.js';
import { PaymentModuleService } from '../services/payment-module-service.js';
import { eventApplier } from '../services/process-event.js';
import { createKeyring } from '../tenants/keyring.js';
import { TenantConfigStore } from '../tenants/tenant-config-store.js';
import { WebhookInbox } from '../webhooks/inbox.js';
import { InboxWriter } from '../webhooks/inbox-writer.js';
import { WebhookMetrics } from '../webhooks/metrics.js';
import { WebhookEventsApi } from '../webhooks/webhook-events-api.js';
import { WebhookWorker } from '../webhooks/worker.js';
import type { WorkerOptions } from '../webhooks/worker-options.js';
import { attachInternals } from './internals.js';
import type { PaymentModuleOptions, WorkflowDependencies } from './options.js';
import { checkDatabaseUrlVariable, checkPaymentModuleOptions } from './options-schema.js';

export interface PaymentModule extends WebhookReceiver {
  service: PaymentModuleService;
  webhooks: WebhookEventsApi;
  metrics: WebhookMetrics;
  /** Domain events: subscribe, list, replay (the outbox). */
  events: DomainEventsApi;
  logger: Logger;
  /** Tenants and their encrypted per-provider configurations. */
  tenants: TenantConfigStore;
  /** The in-process worker, when one runs. */
  worker: WebhookWorker | undefined;
  databaseUrl: string;
  migrate(): Promise<string[]>;
  /** A worker that is not started; for separate worker processes and tests. */
  createWorker(options?: WorkerOptions): WebhookWorker;
  close(): Promise<void>;
}

/**
 * The one entry point: checks its options (paymentModuleOptionsSchema), connects (or starts an embedded
 * PostgreSQL), validates every provider's options, wires the parts together (plain constructor calls, no
 * container) and starts the in-process webhook worker.
 */
export async function createPaymentModule(options: PaymentModuleOptions = {}): Promise<PaymentModule> {
  // Every option is checked first: a bad value or a misspelt name fails here, naming it, with nothing started.
  checkPaymentModuleOptions(options);
  const logger = options.logger ?? createLogger();
  // Validate providers before touching the database, so a bad option fails fast and leaves nothing running.
  const registry = new ProviderRegistry(options.providers ?? [], { logger, fetch: options.fetch });
  // So is a missing or weak encryption key.
  const keyring = createKeyring(options);
  const { orm, databaseUrl, embedded } = await openModuleDatabase(options, logger);

  const ctx: ServiceContext = { orm, registry, logger, relays: relayAnnouncer(orm, logger) };
  const service = new PaymentModuleService(ctx);
  const tenants = new TenantConfigStore(ctx, keyring);
  registry.setTenantOptionsLoader((tenant, providerId) => tenants.optionsFor(tenant, providerId));
  const metrics = new WebhookMetrics();
  const buses = options.eventBus === undefined ? [] : [options.eventBus].flat();
  const outbox = startOutbox(orm, { metrics, logger, databaseUrl, buses }, options.outbox);
  const workflowDependencies: WorkflowDependencies = {
    paymentModuleService: service,
    logger,
    cartPort: options.cart ?? null,
    afterPaymentHook: options.afterPaymentHook ?? null,
  };
  const pipeline = startWebhookPipeline({ ctx, options, databaseUrl, service, tenants, metrics, workflowDependencies });

  const module: PaymentModule = {
    service,
    webhooks: pipeline.webhooks,
    metrics,
    events: outbox.events,
    logger,
    tenants,
    worker: pipeline.worker,
    databaseUrl,
    receiveWebhook: pipeline.receiveWebhook,
    migrate: () => migrateDatabase(orm),
    createWorker: pipeline.createWorker,
    async close() {
      // Webhooks already waiting for their insert are stored (and answered) before the pool goes away.
      await pipeline.inboxWriter.close();
      await pipeline.worker?.stop();
      // The wake-up of the last commits with events goes out before the pool closes.
      await ctx.relays.settled();
      await outbox.close();
      await orm.close(true);
      await embedded?.stop();
    },
  };
  return attachInternals(module, { orm, registry, workflowDependencies });
}

/** The module's database: the URL given (or DATABASE_URL), or an embedded PostgreSQL; migrated if asked. */
async function openModuleDatabase(
  options: PaymentModuleOptions,
  logger: Logger,
): Promise<{ orm: MikroORM; databaseUrl: string; embedded: EmbeddedDatabase | undefined }> {
  const requestedUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (options.databaseUrl === undefined && requestedUrl) checkDatabaseUrlVariable(requestedUrl);
  let embedded: EmbeddedDatabase | undefined;
  if (!requestedUrl) {
    embedded = await startEmbeddedDatabase();
    logger.info({ url: embedded.url.replace(/:[^:@/]+@/, ':***@') }, 'started embedded PostgreSQL');
  }
  const databaseUrl = requestedUrl ?? embedded!.url;
  try {
    const orm = await openDatabase({ url: databaseUrl, poolSize: options.poolSize });
    if (options.migrate ?? Boolean(embedded)) await migrateDatabase(orm);
    return { orm, databaseUrl, embedded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

interface WebhookPipelineSetup {
  ctx: ServiceContext;
  options: PaymentModuleOptions;
  databaseUrl: string;
  service: PaymentModuleService;
  tenants: TenantConfigStore;
  metrics: WebhookMetrics;
  workflowDependencies: WorkflowDependencies;
}

/** The webhook route's receiver, the inbox's writer and the worker that applies what it stores. */
function startWebhookPipeline(setup: WebhookPipelineSetup) {
  const { ctx, options, databaseUrl, metrics } = setup;
  const { orm, logger } = ctx;
  const processor = options.workflow?.(setup.workflowDependencies);
  // This module's inbox notifications carry it, so its own worker (told of its rows directly) skips them.
  const sender = generateId('ibx');
  const createWorker = (workerOptions?: WorkerOptions): WebhookWorker => {
    if (!processor) throw new Error('No workflow configured: pass `workflow: processPaymentWorkflow` to createPaymentModule.');
    return new WebhookWorker({
      orm,
      processor,
      metrics,
      logger,
      options: workerOptions,
      databaseUrl,
      ownNotifications: sender,
      relays: ctx.relays,
    });
  };
  let worker: WebhookWorker | undefined;
  if (processor && options.worker !== false) {
    worker = createWorker(options.worker || undefined);
    worker.start();
  } else if (!processor) {
    logger.warn('no workflow configured: webhooks are stored but not processed');
  }
  const notify = worker ? worker.notify.bind(worker) : () => {};
  const inboxWriter = new InboxWriter({ orm, logger, sender });
  const inbox = new WebhookInbox({ ctx, metrics, tenants: setup.tenants, writer: inboxWriter, onStored: notify });
  const receiveWebhook: WebhookReceiver['receiveWebhook'] = inbox.receiveWebhook.bind(inbox);
  setup.service.attachEventPipeline({
    receive: receiveWebhook,
    worker: eventApplier(
      () => (processor ? worker : null),
      () => createWorker({ listen: false }),
    ),
  });
  return { worker, createWorker, inboxWriter, receiveWebhook, webhooks: new WebhookEventsApi(ctx, notify) };
}
