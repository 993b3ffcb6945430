import { placeholders } from '../database/placeholders.js';
import { planEachCall } from '../database/prepared-sql.js';

// The statements of the outbox (`outbox_event`): the writers', the relays' (claim, outcome, release, lease)
// and retention's, on an ORM transaction or a PreparedSql (`?` placeholders).

/** The channel on which a commit that wrote outbox rows wakes the relays of every process. */
export const OUTBOX_CHANNEL = 'tender_outbox_events';

/** Statuses of an event some subscriber still has to get: they hold back the collection's later events. */
const OPEN = `('pending', 'processing', 'failed')`;

/** What an outbox insert does besides appending its events (see `insertOutboxEventsSql`). */
export interface OutboxInsertShape {
  change?: string;
  recorded?: string;
  notifyAtCommit?: boolean;
}

/**
 * Appends `count` events in order (`seq` follows it), after `change` (data-modifying CTEs `name as (update …)`,
 * whose parameters come first); per event: id, name, schema version, tenant (default: the collection's),
 * collection, payload, dedupe key, ordinal; returns `ids`, those written (a repeated dedupe key is not).
 * With `recorded`, the name of a CTE of `change` that returns `id`s, each event has one more parameter, its
 * cause: it is written only if its cause is among those ids, which the statement returns as `recorded`.
 * With `notifyAtCommit`, the statement also NOTIFYs the relays (at its transaction's commit); without it, the
 * writer announces its commit itself (`Announcer`).
 */
export function insertOutboxEventsSql(
  count: number,
  { change, recorded, notifyAtCommit = false }: OutboxInsertShape = {},
): string {
  const columns = `id, name, schema_version, tenant, collection, payload, dedupe_key, ord${recorded ? ', cause' : ''}`;
  const row = `(?::text, ?::text, ?::int, ?::text, ?::text, ?::jsonb, ?::text, ?::int${recorded ? ', ?::text' : ''})`;
  return `
with ${
    change
      ? `${change},
`
      : ''
  }written as (
  insert into outbox_event (id, name, schema_version, tenant, payment_collection_id, payload, dedupe_key)
  select v.id, v.name, v.schema_version, coalesce(v.tenant, c.tenant, 'default'), v.collection, v.payload, v.dedupe_key
    from (values ${placeholders(count, row)}) as v(${columns})
    left join payment_collection c on c.id = v.collection${
      recorded
        ? `
   where v.cause in (select id from ${recorded})`
        : ''
    }
   order by v.ord
  on conflict (dedupe_key) do nothing
  returning id
)
select w.ids${notifyAtCommit ? `, case when w.ids is not null then pg_notify('${OUTBOX_CHANNEL}', '')::text end as notified` : ''}${
    recorded ? `, (select array_agg(id) from ${recorded}) as recorded` : ''
  }
  from (select array_agg(id) as ids from written) w`;
}

/** Runs a change's data-modifying CTEs alone, for a change that has no events to write; parameters: the change's. */
export function changeOnlySql(change: string): string {
  return `with ${change} select 1`;
}

/** Due rows of one kind, oldest first, locked; rows whose collection has an earlier open event held elsewhere wait. */
function dueRows(where: string, order: string): string {
  return `select e.id, e.seq, e.payment_collection_id from outbox_event e
   where ${where} and (e.payment_collection_id is null or not exists (
     select 1 from outbox_event p where p.payment_collection_id = e.payment_collection_id and p.seq < e.seq
        and p.status in ('processing', 'failed')))
   order by ${order} limit ? for update skip locked`;
}

// A collection's event is claimed only when every earlier open event of that collection is claimed with it:
// so a collection's events reach each subscriber in commit order, whichever relay holds them. The pending rows'
// lower bound changes no result: it makes the plan an index scan from the oldest pending row (a min() is one
// index probe), where a bitmap scan would read every dead entry of the pending index before the LIMIT.
/** Claims a batch of undelivered events, oldest first, in commit order per collection; parameters: claimOutboxParams. */
export const CLAIM_OUTBOX_SQL = planEachCall(`
with pending as (
  ${dueRows("e.status = 'pending' and e.seq >= (select min(m.seq) from outbox_event m where m.status = 'pending')", 'e.seq')}
), failed as (
  ${dueRows("e.status = 'failed' and e.next_attempt_at <= now()", 'e.next_attempt_at')}
), expired as (
  ${dueRows("e.status = 'processing' and e.locked_until < now()", 'e.locked_until')}
), due as (
  select * from pending union all select * from failed union all select * from expired
), picked as (
  select d.id from due d
   where d.payment_collection_id is null or not exists (
     select 1 from outbox_event p
      where p.payment_collection_id = d.payment_collection_id and p.seq < d.seq and p.status in ${OPEN}
        and not exists (select 1 from due x where x.id = p.id))
   order by d.seq limit ?
)
update outbox_event e
   set status = 'processing', attempts = e.attempts + 1, locked_by = ?,
       locked_until = now() + (? * interval '1 millisecond')
  from picked
 where e.id = picked.id
returning e.id, e.seq, e.name, e.schema_version, e.tenant, e.payment_collection_id, e.payload, e.deliveries,
          e.attempts, e.created_at`);

/** CLAIM_OUTBOX_SQL's parameters, in order: the batch size four times, the relay's id, the lease in ms. */
export function claimOutboxParams(batchSize: number, relayId: string, leaseMs: number): unknown[] {
  return [batchSize, batchSize, batchSize, batchSize, relayId, leaseMs];
}

/** Records `count` delivery outcomes while the relay holds them; per outcome: id, status, deliveries (JSON), error, delay ms; then the relay's id. */
export function recordOutboxOutcomesSql(count: number): string {
  return `
update outbox_event e
   set status = o.status, deliveries = o.deliveries, last_error = o.error, locked_by = null, locked_until = null,
       next_attempt_at = now() + (o.delay_ms * interval '1 millisecond'),
       delivered_at = case when o.status in ('delivered', 'dead') then now() else null end
  from (values ${placeholders(count, '(?::text, ?::text, ?::jsonb, ?::text, ?::bigint)')})
       as o(id, status, deliveries, error, delay_ms)
 where e.id = o.id and e.locked_by = ?
returning e.id`;
}

/** Gives claimed events back untouched (a relay stopping before it started them); parameters: the ids (an array), the relay's id. */
export const RELEASE_OUTBOX_SQL = `
update outbox_event
   set status = case when deliveries = '{}'::jsonb then 'pending' else 'failed' end, attempts = attempts - 1,
       locked_by = null, locked_until = null, next_attempt_at = now()
 where id = any(?::text[]) and locked_by = ? and status = 'processing'`;

/**
 * Queues one event again, unless a relay holds it under a live lease (then `busy` and nothing changes): its
 * deliveries keep only those delivered, or, with a subscriber named, all but that subscriber's; parameters: the
 * id, then the subscriber twice (null for none). One row (`busy` and the event's columns) or none when absent.
 */
export const REPLAY_OUTBOX_EVENT_SQL = `
with target as (
  select id, coalesce(status = 'processing' and locked_until > now(), false) as busy from outbox_event where id = ? for update
), replayed as (
  update outbox_event e
     set status = 'pending', next_attempt_at = now(), locked_by = null, locked_until = null, delivered_at = null,
         deliveries = case when ?::text is null
           then coalesce((select jsonb_object_agg(d.key, d.value) from jsonb_each(e.deliveries) d
                           where d.value->>'status' = 'delivered'), '{}'::jsonb)
           else e.deliveries - ?::text end
    from target t
   where e.id = t.id and not t.busy
  returning e.*
)
select t.busy, r.* from target t left join replayed r on r.id = t.id`;

/**
 * Extends the leases a live relay holds (its heartbeat); parameters: the lease in ms, the relay's id. Rows
 * locked right now (their delivery being recorded) are skipped: waiting for them, while the recording waits
 * for rows this statement already locked, was a deadlock; their lease no longer matters once recorded.
 */
export const RENEW_OUTBOX_LEASES_SQL = `
update outbox_event set locked_until = now() + (? * interval '1 millisecond')
 where id in (select id from outbox_event where locked_by = ? and status = 'processing' for update skip locked)`;

/** Deletes up to a batch of events delivered longer ago than the retention; parameters: the retention in ms, the batch size. */
export const PRUNE_OUTBOX_SQL = `
delete from outbox_event where id in (
  select id from outbox_event where status = 'delivered' and delivered_at < now() - (? * interval '1 millisecond')
   order by delivered_at limit ?)`;

/** Undelivered and dead counts and the oldest undelivered event's age in ms, for metrics and `tender events list`; no parameters. */
export const OUTBOX_STATS_SQL = `
select count(*) filter (where status <> 'dead')::int as undelivered,
       count(*) filter (where status = 'dead')::int as dead,
       coalesce(extract(epoch from now() - min(created_at) filter (where status <> 'dead')) * 1000, 0)::float8 as lag_ms
  from outbox_event where status in ('pending', 'processing', 'failed', 'dead')`;

/** Per subscriber, how many events it gave up on; no parameters. */
export const DEAD_BY_SUBSCRIBER_SQL = `
select d.key as subscriber, count(*)::int as n
  from outbox_event e, jsonb_each(e.deliveries) d
 where e.status = 'dead' and d.value->>'status' = 'dead'
 group by d.key`;
