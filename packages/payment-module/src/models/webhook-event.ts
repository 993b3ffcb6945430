import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { tenantColumn, timestamps } from './common.js';

/**
 * The inbox. A row is written (and committed) before the provider gets its 2xx, with the exact request
 * bytes; the unique key makes a redelivered event a no-op. Workers claim rows with SKIP LOCKED and a lease.
 */
export const WebhookEvent = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_event',
  uniques: [{ name: 'webhook_event_dedup', properties: ['tenant', 'provider_id', 'event_id'] }],
  indexes: [{ name: 'webhook_event_due', properties: ['status', 'next_attempt_at'] }],
  properties: {
    id: p.string().primary(),
    tenant: tenantColumn(),
    provider_id: p.string(),
    event_id: p.string(),
    event_type: p.string().nullable(),
    action: p.string().length(32),
    /** session_id, amount, currency_code as the verified provider reported them. */
    data: p.json<Record<string, unknown>>().nullable(),
    method: p.string().length(8),
    raw_body: p.type('blob').columnType('bytea'),
    headers: p.json<Record<string, unknown>>(),
    query: p.json<Record<string, unknown>>().nullable(),
    received_at: p.datetime().defaultRaw('current_timestamp'),
    status: p.string().length(16).default('pending'),
    attempts: p.integer().default(0),
    next_attempt_at: p.datetime().defaultRaw('current_timestamp'),
    locked_until: p.datetime().nullable(),
    locked_by: p.string().nullable(),
    last_error: p.text().nullable(),
    result: p.json<Record<string, unknown>>().nullable(),
    processed_at: p.datetime().nullable(),
    ...timestamps,
  },
});
export type WebhookEvent = InferEntity<typeof WebhookEvent>;
