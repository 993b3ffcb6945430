import type { MikroORM } from '@mikro-orm/postgresql';
import { GroupCommit } from '../concurrency/group-commit.js';
import type { Announcer } from '../database/announcer.js';
import { preparedSqlFor, type SqlExecutor } from '../database/prepared-sql.js';
import type { NewDomainEvent } from '../events/event-bus.js';
import { writeRecordedWithEvents } from '../outbox/write-outbox-events.js';
import { recordOutcomesSql } from '../sql/webhook-event.js';

/** What processing an inbox row came to, as the worker that holds its lease records it. */
export interface EventOutcome {
  id: string;
  /** The worker that claimed the row: a worker whose lease expired (and was taken over) records nothing. */
  lockedBy: string;
  status: 'processed' | 'ignored' | 'rejected' | 'failed' | 'dead';
  result: unknown;
  error: string | null;
  /** Until the next attempt, for `failed`. */
  delayMs: number;
  /**
   * Domain events the outcome causes, written by its statement if it is recorded: `webhook.dead`, and those the
   * processing returned (the order the host's cart port committed, which no transaction of the module holds).
   */
  events?: NewDomainEvent[];
}

/**
 * Records outcomes of webhook events, and the domain events they cause, the outcomes of concurrently processed
 * events in one statement (group commit). Resolves with whether the row was still this worker's to record.
 */
export class OutcomeWriter {
  private readonly group: GroupCommit<EventOutcome, boolean>;

  /** `relays`: wakes the outbox relays once outcomes with events have committed. */
  constructor(
    orm: MikroORM,
    private readonly relays: Announcer,
  ) {
    this.group = new GroupCommit(async (outcomes) => {
      const params = outcomes.flatMap((o) => [
        o.id,
        o.lockedBy,
        o.status,
        o.result === undefined ? null : JSON.stringify(o.result),
        o.error,
        o.delayMs,
      ]);
      const events = outcomes.flatMap((o) => (o.events ?? []).map((event) => ({ cause: o.id, event })));
      // The outcomes and their events in one statement: an event is written only if its outcome is recorded.
      const db = preparedSqlFor(orm);
      if (events.length === 0) {
        const recorded = await this.update(db, outcomes, params);
        return outcomes.map((o) => recorded.has(o.id));
      }
      const recorded = await writeRecordedWithEvents(
        db,
        { ctes: `recorded as (${recordOutcomesSql(outcomes.length)})`, params },
        'recorded',
        events,
      );
      // Autocommit: the events have committed (if any outcome that causes one was recorded).
      if (events.some(({ cause }) => recorded.has(cause))) this.relays.announce();
      return outcomes.map((o) => recorded.has(o.id));
    });
  }

  private async update(em: SqlExecutor, outcomes: EventOutcome[], params: unknown[]): Promise<Set<string>> {
    const updated = await em.execute<{ id: string }[]>(recordOutcomesSql(outcomes.length), params);
    return new Set(updated.map((row) => row.id));
  }

  record(outcome: EventOutcome): Promise<boolean> {
    return this.group.submit(outcome);
  }

  get batches(): number {
    return this.group.batches;
  }

  /** Resolves once the outcomes submitted are recorded and their relays' wake-up is sent. */
  async settled(): Promise<void> {
    await this.group.flushed();
    await this.relays.settled();
  }
}
