import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { NOTIFY_SQL } from '../sql/notify.js';
import { preparedSqlFor } from './prepared-sql.js';

/** What an announcer is built from. */
export interface AnnouncerSetup {
  orm: MikroORM;
  logger: Logger;
  /** The channel its listeners LISTEN on. */
  channel: string;
  /** The notifications' payload (default empty). */
  payload?: string;
  /** Logged with the error when a notification fails, saying what the listeners do instead. */
  onFailure: string;
}

/**
 * Tells listening processes that rows they wait for have committed: a NOTIFY of its own, sent once the rows'
 * transaction has committed, and not awaited by the writers, so a failing NOTIFY (its queue full, say) fails no
 * write; the listeners find the rows at their next poll. One notification at a time: commits announced while one
 * is in flight are covered by a single next one, sent after it (so after their commits), since a woken
 * listener claims every due row.
 *
 * Not in the writing statement: a transaction that NOTIFYs holds PostgreSQL's notify lock from its commit until
 * the commit is flushed, so notifying commits wait for each other's fsyncs, one after another, where commits
 * otherwise share their flushes. Sent apart and coalesced, only these small transactions queue on the lock, and
 * the writes commit together.
 */
export class Announcer {
  private announcing: Promise<void> | undefined;
  private announceAgain = false;

  constructor(private readonly setup: AnnouncerSetup) {}

  /** Call once the rows to announce have committed. */
  announce(): void {
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    const { orm, logger, channel, payload = '', onFailure } = this.setup;
    this.announcing = preparedSqlFor(orm)
      .execute(NOTIFY_SQL, [channel, payload])
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error, channel }, onFailure),
      )
      .finally(() => {
        this.announcing = undefined;
        if (this.announceAgain) {
          this.announceAgain = false;
          this.announce();
        }
      });
  }

  /** Resolves once no notification is in flight (for a writer's close). */
  async settled(): Promise<void> {
    while (this.announcing) await this.announcing;
  }
}
