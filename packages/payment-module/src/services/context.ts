import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { OutboxWriter } from '../outbox/write-outbox-events.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What every service operation needs; built once by createPaymentModule. */
export interface ServiceContext {
  orm: MikroORM;
  registry: ProviderRegistry;
  /** Appends events in a transaction of their own; a change Tender commits writes its events with `writeOutboxEvents(em, …)`. */
  events: OutboxWriter;
  logger: Logger;
}
