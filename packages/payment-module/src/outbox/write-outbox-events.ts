import type { MikroORM } from '@mikro-orm/postgresql';
import { GroupCommit } from '../concurrency/group-commit.js';
import { preparedSqlFor, type SqlExecutor } from '../database/prepared-sql.js';
import type { NewDomainEvent } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { changeOnlySql, insertOutboxEventsSql } from '../sql/outbox-event.js';

function collectionOf(event: NewDomainEvent): string | null {
  if (event.payment_collection_id !== undefined) return event.payment_collection_id;
  const fromData = event.data.payment_collection_id;
  return typeof fromData === 'string' ? fromData : null;
}

/** Data-modifying CTEs (`name as (update …)`) and their parameters: a change that commits with its events. */
export interface OutboxChange {
  ctes: string;
  params: unknown[];
}

/** Inserts `events` under the given `ids`, after `change`; resolves with the ids written (a repeated dedupe key is not). */
async function insertEvents(
  em: SqlExecutor,
  events: readonly NewDomainEvent[],
  ids: string[],
  change?: OutboxChange,
): Promise<Set<string>> {
  if (events.length === 0) {
    if (change) await em.execute(changeOnlySql(change.ctes), change.params, 'run');
    return new Set();
  }
  const eventParams = events.flatMap((event, i) => [
    ids[i],
    event.name,
    event.schema_version ?? 1,
    event.tenant ?? null,
    collectionOf(event),
    JSON.stringify(event.data),
    event.dedupe_key ?? null,
    i,
  ]);
  const params = change ? [...change.params, ...eventParams] : eventParams;
  const [row] = await em.execute<{ ids: string[] | null }[]>(insertOutboxEventsSql(events.length, change?.ctes), params);
  return new Set(row?.ids ?? []);
}

const newIds = (events: readonly NewDomainEvent[]) => events.map(() => generateId(IdPrefix.outboxEvent));

/**
 * Appends `events` to the outbox inside `em`'s transaction, in one statement: they commit, or vanish, with
 * the change they describe. Call it where that change is written (under the collection's lock, so `seq`
 * follows commit order). `change`, when given, is written by the same statement. Resolves with the ids of the rows written (an event whose dedupe key was already
 * written is left out).
 */
export async function writeOutboxEvents(
  em: SqlExecutor,
  events: readonly NewDomainEvent[],
  change?: OutboxChange,
): Promise<string[]> {
  const ids = newIds(events);
  const written = await insertEvents(em, events, ids, change);
  return ids.filter((id) => written.has(id));
}

/**
 * Appends events in a transaction of their own: for a change the host's code committed (the cart port's
 * order), where Tender has no transaction to share. A crash between the host's commit and this one loses
 * the row unless the caller writes it again on its retry (with a `dedupe_key`, so the retry adds no second).
 * Concurrent callers share one statement and one commit (group commit).
 */
export class OutboxWriter {
  private readonly group: GroupCommit<readonly NewDomainEvent[], string[]>;

  constructor(orm: MikroORM) {
    this.group = new GroupCommit(async (batches) => {
      const ids = batches.map(newIds);
      const written = await insertEvents(preparedSqlFor(orm), batches.flat(), ids.flat());
      return ids.map((batch) => batch.filter((id) => written.has(id)));
    });
  }

  write(events: NewDomainEvent | readonly NewDomainEvent[]): Promise<string[]> {
    return this.group.submit(Array.isArray(events) ? events : [events as NewDomainEvent]);
  }
}
