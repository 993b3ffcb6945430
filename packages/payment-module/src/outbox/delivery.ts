import type { DomainEvent } from '../events/event-bus.js';
import type { Subscriber } from '../events/subscribers.js';
import type { OutboxDeliveries } from '../models/outbox-event.js';
import { type BackoffOptions, retryDelayMs } from '../webhooks/backoff.js';

/** An outbox row as a relay claims it. */
export interface ClaimedOutboxEvent {
  id: string;
  seq: string | number;
  name: string;
  schema_version: number;
  tenant: string;
  payment_collection_id: string | null;
  payload: Record<string, unknown>;
  deliveries: OutboxDeliveries;
  attempts: number;
  created_at: Date;
}

/** What one relay round made of an event: recorded on its row. */
export interface DeliveryOutcome {
  id: string;
  /** delivered: every subscriber has it; failed: one will be retried; dead: one gave up, the rest have it. */
  status: 'delivered' | 'failed' | 'dead';
  deliveries: OutboxDeliveries;
  error: string | null;
  delayMs: number;
  /** Subscribers that took the event in this round, and that failed on it. */
  delivered: string[];
  failed: string[];
}

export interface DeliveryPolicy extends BackoffOptions {
  /** Attempts per subscriber before it is marked dead for the event. */
  maxAttempts: number;
}

export function toDomainEvent(row: ClaimedOutboxEvent): DomainEvent {
  return {
    id: row.id,
    name: row.name,
    schema_version: row.schema_version,
    tenant: row.tenant,
    payment_collection_id: row.payment_collection_id,
    data: row.payload,
    created_at: new Date(row.created_at),
  };
}

function done(state: OutboxDeliveries[string] | undefined): boolean {
  return state?.status === 'delivered' || state?.status === 'dead';
}

/**
 * Hands the event to each of `subscribers` that has not taken it (nor given up on it) yet, all at once, and
 * says what that leaves: a subscriber that throws is retried with backoff, the others are not run again.
 */
export async function deliverEvent(
  row: ClaimedOutboxEvent,
  subscribers: readonly Subscriber[],
  policy: DeliveryPolicy,
): Promise<DeliveryOutcome> {
  const deliveries: OutboxDeliveries = { ...row.deliveries };
  const event = toDomainEvent(row);
  const targets = subscribers.filter((s) => !done(deliveries[s.name]));
  const delivered: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    targets.map(async (subscriber) => {
      const attempts = (deliveries[subscriber.name]?.attempts ?? 0) + 1;
      const at = new Date().toISOString();
      try {
        await subscriber.handle(event);
        deliveries[subscriber.name] = { status: 'delivered', attempts, at };
        delivered.push(subscriber.name);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deliveries[subscriber.name] = {
          status: attempts >= policy.maxAttempts ? 'dead' : 'failed',
          attempts,
          error: message,
          at,
        };
        failed.push(subscriber.name);
      }
    }),
  );
  const current = subscribers.map((s) => deliveries[s.name]!);
  const retrying = current.filter((d) => d.status === 'failed');
  const errors = failed.map((name) => `${name}: ${deliveries[name]!.error}`);
  if (retrying.length > 0) {
    const attempts = Math.max(...retrying.map((d) => d.attempts));
    return {
      id: row.id,
      status: 'failed',
      deliveries,
      error: errors.join('; '),
      delayMs: retryDelayMs(attempts, policy),
      delivered,
      failed,
    };
  }
  const dead = current.some((d) => d.status === 'dead');
  return {
    id: row.id,
    status: dead ? 'dead' : 'delivered',
    deliveries,
    error: errors.join('; ') || null,
    delayMs: 0,
    delivered,
    failed,
  };
}
