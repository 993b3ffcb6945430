import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { OUTBOX_INDEXES } from '../outbox/outbox-indexes.js';
import { tenantColumn } from './common.js';

/** Per-subscriber delivery state of one outbox event, keyed by subscriber name. */
export type OutboxDeliveries = Record<
  string,
  { status: 'delivered' | 'failed' | 'dead'; attempts: number; error?: string; at: string }
>;

/**
 * The outbox: one row per domain event, written in the transaction of the change it describes. `seq` is
 * taken at insert, under the payment collection's row lock, so it orders a collection's events as they
 * committed. Relays claim rows with SKIP LOCKED and a lease, as workers claim the inbox.
 */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_event',
  uniques: [{ name: 'outbox_event_dedupe_key', properties: ['dedupe_key'] }],
  indexes: [{ name: 'outbox_event_collection', properties: ['payment_collection_id', 'seq'] }, ...OUTBOX_INDEXES],
  properties: {
    id: p.string().primary(),
    seq: p.bigint('number').autoincrement(),
    name: p.string(),
    schema_version: p.integer().default(1),
    tenant: tenantColumn(),
    payment_collection_id: p.string().nullable(),
    payload: p.json<Record<string, unknown>>(),
    /** Set for an event that may be written by more than one try (cart.completed): the second is dropped. */
    dedupe_key: p.string().nullable(),
    status: p.string().length(16).default('pending'),
    attempts: p.integer().default(0),
    next_attempt_at: p.datetime().defaultRaw('current_timestamp'),
    locked_until: p.datetime().nullable(),
    locked_by: p.string().nullable(),
    deliveries: p.json<OutboxDeliveries>().defaultRaw(`'{}'`),
    last_error: p.text().nullable(),
    created_at: p.datetime().defaultRaw('current_timestamp'),
    delivered_at: p.datetime().nullable(),
  },
});
export type OutboxEvent = InferEntity<typeof OutboxEvent>;
