import { placeholders } from '../database/placeholders.js';
import { planEachCall } from '../database/prepared-sql.js';

// The statements of the inbox (`webhook_event`): every write to the table goes through one of these, on an
// ORM transaction or a PreparedSql (`?` placeholders; an array parameter is one PostgreSQL array).

/** The columns an inbox insert writes, in the order of its parameters. */
const INSERT_COLUMNS =
  'id, tenant, provider_id, event_id, event_type, action, data, method, raw_body, headers, query, status, processed_at';

/** Inserts `count` inbox rows, skipping any already stored (dedup key); 13 parameters a row, as INSERT_COLUMNS; returns id, status of each new one. */
export function insertWebhookEventsSql(count: number): string {
  return `insert into webhook_event (${INSERT_COLUMNS})
       values ${placeholders(count, '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')}
       on conflict (tenant, provider_id, event_id) do nothing
       returning id, status`;
}

/** The ids of `count` stored events by their dedup key; parameters: tenant, provider id, event id for each. */
export function existingEventsSql(count: number): string {
  return `select id, tenant, provider_id, event_id from webhook_event
           where (tenant, provider_id, event_id) in (${placeholders(count, '(?, ?, ?)')})`;
}

// Each status is read apart, oldest first along `webhook_event_due`, so a claim reads about a batch of rows
// however many are waiting (one scan for all three statuses sorted the whole backlog on every claim).
function dueRows(where: string): string {
  return `select id, next_attempt_at from webhook_event where ${where}
   order by next_attempt_at, id limit ? for update skip locked`;
}

/** Claims the oldest due events (new, failed and due, or lease expired), skipping locked rows; parameters: claimParams. */
export const CLAIM_SQL = planEachCall(`
with pending as (
  ${dueRows("status = 'pending' and next_attempt_at <= now()")}
), failed as (
  ${dueRows("status = 'failed' and next_attempt_at <= now()")}
), expired as (
  ${dueRows("status = 'processing' and locked_until < now()")}
), picked as (
  select id from (select * from pending union all select * from failed union all select * from expired) as due
   order by next_attempt_at, id limit ?
)
update webhook_event w
   set status = 'processing', attempts = w.attempts + 1, locked_by = ?,
       locked_until = now() + (? * interval '1 millisecond'), updated_at = now()
  from picked
 where w.id = picked.id
returning w.id, w.tenant, w.provider_id, w.event_id, w.event_type, w.action, w.data, w.attempts`);

/** CLAIM_SQL's parameters, in order: the batch size four times, the worker's id, the lease in ms. */
export function claimParams(batchSize: number, workerId: string, leaseMs: number): unknown[] {
  return [batchSize, batchSize, batchSize, batchSize, workerId, leaseMs];
}

/**
 * Extends the leases a live worker holds; parameters: the lease in ms, the worker's id. Rows locked right now
 * (their outcome being written) are skipped rather than waited for, as the relay's renewal does (see there).
 */
export const RENEW_LEASES_SQL = `
update webhook_event set locked_until = now() + (? * interval '1 millisecond')
 where id in (select id from webhook_event where locked_by = ? and status = 'processing' for update skip locked)`;

/** Gives back claimed events a stopping worker did not start; parameters: the ids (an array), the worker's id. */
export const RELEASE_SQL = `
update webhook_event
   set status = 'pending', attempts = attempts - 1, locked_by = null, locked_until = null, next_attempt_at = now()
 where id = any(?::text[]) and locked_by = ? and status = 'processing'`;

/**
 * Records `count` outcomes, each only while its worker still holds the row; parameters per outcome: id, worker,
 * status, result (JSON), error, delay in ms; returns the ids recorded.
 */
export function recordOutcomesSql(count: number): string {
  // A VALUES list, whose row count the planner knows, so each row is looked up by primary key (a JSON
  // recordset is guessed at 100 rows, and the guess turned the update into a sequential scan of the inbox).
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

/** The columns of an event as `payments.webhooks` lists it (all but the request itself). */
const LISTED_COLUMNS = `w.id, w.tenant, w.provider_id, w.event_id, w.event_type, w.action, w.data, w.status, w.attempts,
       w.next_attempt_at, w.last_error, w.result, w.received_at, w.processed_at`;

/**
 * Queues an event again with fresh attempts unless a live lease holds it; parameter: the id. One row if the
 * event exists: `busy` (true: held, nothing changed) and, when replayed, the event's listed columns.
 */
export const REPLAY_WEBHOOK_EVENT_SQL = `
with target as (
  select id, coalesce(status = 'processing' and locked_until > now(), false) as busy from webhook_event where id = ? for update
), replayed as (
  update webhook_event w
     set status = 'pending', attempts = 0, next_attempt_at = now(), locked_by = null, locked_until = null, updated_at = now()
    from target t
   where w.id = t.id and not t.busy
  returning ${LISTED_COLUMNS}
)
select t.busy, r.* from target t left join replayed r on r.id = t.id`;
