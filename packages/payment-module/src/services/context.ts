import type { MikroORM } from '@mikro-orm/postgresql';
import type { Announcer } from '../database/announcer.js';
import type { Logger } from '../logger.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What every service operation needs; built once by createPaymentModule. */
export interface ServiceContext {
  orm: MikroORM;
  registry: ProviderRegistry;
  logger: Logger;
  /**
   * Wakes the outbox relays after a commit that wrote events without `notifyAtCommit` (the webhook path's
   * writers): one per module, so the writers' commits of a moment share one NOTIFY.
   */
  relays: Announcer;
}
