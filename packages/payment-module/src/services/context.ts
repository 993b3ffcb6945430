import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What every service operation needs; built once by createPaymentModule. */
export interface ServiceContext {
  orm: MikroORM;
  registry: ProviderRegistry;
  events: EventBus;
  logger: Logger;
}
