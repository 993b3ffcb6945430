import type { MikroORM } from '@mikro-orm/postgresql';
import { Announcer } from '../database/announcer.js';
import type { SqlExecutor } from '../database/prepared-sql.js';
import type { NewDomainEvent } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import type { Logger } from '../logger.js';
import { changeOnlySql, insertOutboxEventsSql, OUTBOX_CHANNEL } from '../sql/outbox-event.js';

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

/** One event's parameters in `insertOutboxEventsSql`'s order (`ord`: its place in the statement). */
function eventParams(event: NewDomainEvent, id: string, ord: number): unknown[] {
  return [
    id,
    event.name,
    event.schema_version ?? 1,
    event.tenant ?? null,
    collectionOf(event),
    JSON.stringify(event.data),
    event.dedupe_key ?? null,
    ord,
  ];
}

/** Inserts `events` under the given `ids`, after `change`; resolves with the ids written (a repeated dedupe key is not). */
async function insertEvents(
  em: SqlExecutor,
  events: readonly NewDomainEvent[],
  ids: string[],
  change: OutboxChange | undefined,
  notifyAtCommit: boolean,
): Promise<Set<string>> {
  if (events.length === 0) {
    if (change) await em.execute(changeOnlySql(change.ctes), change.params, 'run');
    return new Set();
  }
  const params = events.flatMap((event, i) => eventParams(event, ids[i]!, i));
  const [row] = await em.execute<{ ids: string[] | null }[]>(
    insertOutboxEventsSql(events.length, { change: change?.ctes, notifyAtCommit }),
    change ? [...change.params, ...params] : params,
  );
  return new Set(row?.ids ?? []);
}

/** How `writeOutboxEvents` wakes the relays. */
export interface OutboxWriteOptions {
  /**
   * True (the default): the statement NOTIFYs the relays when its transaction commits. False: the caller
   * announces the commit itself, after it (`Announcer`), so that its commit does not queue on PostgreSQL's notify
   * lock; the webhook path's writers do.
   */
  notifyAtCommit?: boolean;
}

/**
 * Appends `events` to the outbox inside `em`'s transaction, in one statement: they commit, or vanish, with
 * the change they describe. Call it where that change is written (under the collection's lock, so `seq`
 * follows commit order). `change`, when given, is written by the same statement. Resolves with the ids of the
 * rows written (an event whose dedupe key was already written is left out).
 */
export async function writeOutboxEvents(
  em: SqlExecutor,
  events: readonly NewDomainEvent[],
  change?: OutboxChange,
  options: OutboxWriteOptions = {},
): Promise<string[]> {
  const ids = events.map(() => generateId(IdPrefix.outboxEvent));
  const written = await insertEvents(em, events, ids, change, options.notifyAtCommit ?? true);
  return ids.filter((id) => written.has(id));
}

/** An event caused by one row a change records (a webhook event's outcome): written only if that row is. */
export interface CausedEvent {
  cause: string;
  event: NewDomainEvent;
}

/**
 * Runs `change`, whose CTE named `recorded` returns the `id`s it recorded, and appends in the same statement
 * the events whose cause is among them: a change made outside Tender's transactions (the host's order)
 * commits its event with the next write that records it. Resolves with the ids recorded. `events` must not
 * be empty (the statement would have no VALUES row): with none, run the change's own statement. It does not
 * NOTIFY: the caller announces the commit (`Announcer`).
 */
export async function writeRecordedWithEvents(
  em: SqlExecutor,
  change: OutboxChange,
  recorded: string,
  events: readonly CausedEvent[],
): Promise<Set<string>> {
  const ids = events.map(() => generateId(IdPrefix.outboxEvent));
  const params = events.flatMap(({ cause, event }, i) => [...eventParams(event, ids[i]!, i), cause]);
  const [row] = await em.execute<{ recorded: string[] | null }[]>(
    insertOutboxEventsSql(events.length, { change: change.ctes, recorded }),
    [...change.params, ...params],
  );
  return new Set(row?.recorded ?? []);
}

/** Wakes the relays of every process after a commit that wrote outbox events without `notifyAtCommit`. */
export function relayAnnouncer(orm: MikroORM, logger: Logger): Announcer {
  return new Announcer({
    orm,
    logger,
    channel: OUTBOX_CHANNEL,
    onFailure: 'could not wake the outbox relays; they will deliver the events at their next poll',
  });
}
