import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What every service operation needs; built once by createPaymentModule. */
export interface ServiceContext {
  orm: MikroORM;
  registry: ProviderRegistry;
  logger: Logger;
}
