import type { MikroORM } from '@mikro-orm/postgresql';
import { GroupCommit } from '../concurrency/group-commit.js';
import { placeholders } from '../database/placeholders.js';
import { preparedSqlFor, type SqlExecutor } from '../database/prepared-sql.js';
import type { NewDomainEvent } from '../events/event-bus.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';

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
  /** Domain events the outcome causes (webhook.dead), written in its transaction if it is recorded. */
  events?: NewDomainEvent[];
}

/**
 * One UPDATE for `count` outcomes. The outcomes travel as a VALUES list, whose row count the planner
 * knows, so it looks each row up by primary key (a JSON recordset is guessed at 100 rows, and the guess
 * turned the update into a sequential scan of the inbox).
 */
export function recordOutcomesSql(count: number): string {
  return `
update webhook_event w
   set status = o.status, result = o.result, last_error = o.error, locked_by = null, locked_until = null,
       updated_at = now(),
       processed_at = case when o.status in ('processed', 'ignored', 'rejected') then now() else w.processed_at end,
       next_attempt_at = now() + (o.delay_ms * interval '1 millisecond')
  from (values ${placeholders(count, '(?::text, ?::text, ?::text, ?::jsonb, ?::text, ?::bigint)')})
       as o(id, locked_by, status, result, error, delay_ms)
 where w.id = o.id and w.locked_by = o.locked_by
returning w.id`;
}

/**
 * Records outcomes of inbox rows, the outcomes of concurrently processed events in one statement
 * (group commit). Resolves with whether the row was still this worker's to record.
 */
export class OutcomeWriter {
  private readonly group: GroupCommit<EventOutcome, boolean>;

  constructor(orm: MikroORM) {
    this.group = new GroupCommit(async (outcomes) => {
      const params = outcomes.flatMap((o) => [
        o.id,
        o.lockedBy,
        o.status,
        o.result === undefined ? null : JSON.stringify(o.result),
        o.error,
        o.delayMs,
      ]);
      const withEvents = outcomes.some((o) => o.events?.length);
      // Only an outcome with events (rare: a dead event) costs a transaction; the rest is one statement.
      const recorded = withEvents
        ? await preparedSqlFor(orm).transaction(async (em) => {
            const ids = await this.update(em, outcomes, params);
            await writeOutboxEvents(
              em,
              outcomes.flatMap((o) => (ids.has(o.id) ? (o.events ?? []) : [])),
            );
            return ids;
          })
        : await this.update(preparedSqlFor(orm), outcomes, params);
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
}
