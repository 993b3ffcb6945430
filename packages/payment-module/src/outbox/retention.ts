import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { PRUNE_OUTBOX_SQL } from '../sql/outbox-event.js';

const PRUNE_BATCH = 1_000;

/** What a pruner is built from. */
export interface OutboxPrunerSetup {
  orm: MikroORM;
  /** How long a delivered event is kept. */
  retentionMs: number;
  logger: Logger;
  /** How often it prunes (default a minute). */
  everyMs?: number;
}

/** Deletes delivered events older than the host's retention, a batch at a time, every `everyMs`. */
export class OutboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private readonly orm: MikroORM;
  private readonly retentionMs: number;
  private readonly logger: Logger;
  private readonly everyMs: number;

  constructor(setup: OutboxPrunerSetup) {
    this.orm = setup.orm;
    this.retentionMs = setup.retentionMs;
    this.logger = setup.logger;
    this.everyMs = setup.everyMs ?? 60_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.prune().catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune delivered events'));
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Deletes every delivered event past the retention; resolves with how many. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.orm.em.fork().getConnection().execute(PRUNE_OUTBOX_SQL, [this.retentionMs, PRUNE_BATCH], 'run');
      const deleted = Number((result as { affectedRows?: number }).affectedRows ?? 0);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
