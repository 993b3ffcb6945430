import type { MikroORM } from '@mikro-orm/postgresql';
import { GroupCommit } from '../database/group-commit.js';

/** What processing an inbox row came to, as the worker that holds its lease records it. */
export interface EventOutcome {
  id: string;
  /** The worker that claimed the row: a worker whose lease expired (and was taken over) records nothing. */
  lockedBy: string;
  status: 'processed' | 'ignored' | 'failed' | 'dead';
  result: unknown;
  error: string | null;
  /** Until the next attempt, for `failed`. */
  delayMs: number;
}

const RECORD_SQL = `
update webhook_event w
   set status = o.status, result = o.result, last_error = o.error, locked_by = null, locked_until = null,
       updated_at = now(),
       processed_at = case when o.status in ('processed', 'ignored') then now() else w.processed_at end,
       next_attempt_at = now() + (o.delay_ms * interval '1 millisecond')
  from jsonb_to_recordset(?::jsonb) as o(id text, locked_by text, status text, result jsonb, error text, delay_ms bigint)
 where w.id = o.id and w.locked_by = o.locked_by
returning w.id`;

/**
 * Records outcomes of inbox rows, the outcomes of concurrently processed events in one statement
 * (group commit). Resolves with whether the row was still this worker's to record.
 */
export class OutcomeWriter {
  private readonly group: GroupCommit<EventOutcome, boolean>;

  constructor(orm: MikroORM) {
    this.group = new GroupCommit(async (outcomes) => {
      const rows = outcomes.map((o) => ({
        id: o.id,
        locked_by: o.lockedBy,
        status: o.status,
        result: o.result ?? null,
        error: o.error,
        delay_ms: o.delayMs,
      }));
      const updated = await orm.em.fork().execute<{ id: string }[]>(RECORD_SQL, [JSON.stringify(rows)]);
      const recorded = new Set(updated.map((row) => row.id));
      return outcomes.map((o) => recorded.has(o.id));
    });
  }

  record(outcome: EventOutcome): Promise<boolean> {
    return this.group.submit(outcome);
  }

  get batches(): number {
    return this.group.batches;
  }
}
