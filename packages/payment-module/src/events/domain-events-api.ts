import type { EntityDictionary } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { TenderError } from '@tender/core';
import { preparedSqlFor } from '../database/prepared-sql.js';
import { type OutboxDeliveries, OutboxEvent } from '../models/outbox-event.js';
import type { OutboxRelay } from '../outbox/relay.js';
import type { OutboxPruner } from '../outbox/retention.js';
import { DEAD_BY_SUBSCRIBER_SQL, OUTBOX_STATS_SQL, REPLAY_OUTBOX_EVENT_SQL } from '../sql/outbox-event.js';
import type { OutboxGauges } from '../webhooks/metrics.js';
import type { EventHandler, SubscribeOptions } from './event-bus.js';
import type { Subscribers } from './subscribers.js';

export interface OutboxEventDTO {
  id: string;
  seq: number;
  name: string;
  schema_version: number;
  tenant: string;
  payment_collection_id: string | null;
  data: Record<string, unknown>;
  /** pending, processing, failed (a subscriber is retrying), delivered, dead (a subscriber gave up). */
  status: string;
  attempts: number;
  next_attempt_at: Date;
  deliveries: OutboxDeliveries;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

function toDTO(e: OutboxEvent): OutboxEventDTO {
  return {
    id: e.id,
    seq: Number(e.seq),
    name: e.name,
    schema_version: e.schema_version,
    tenant: e.tenant,
    payment_collection_id: e.payment_collection_id ?? null,
    data: e.payload,
    status: e.status,
    attempts: e.attempts,
    next_attempt_at: e.next_attempt_at,
    deliveries: e.deliveries,
    last_error: e.last_error ?? null,
    created_at: e.created_at,
    delivered_at: e.delivered_at ?? null,
  };
}

/** What `payments.events` is built from. */
export interface DomainEventsApiSetup {
  orm: MikroORM;
  subscribers: Subscribers;
  /** This process's relay, if it delivers events (replay wakes it, drain runs it). */
  relay?: OutboxRelay;
  pruner?: OutboxPruner;
}

/**
 * `payments.events`: subscribe to the domain events (delivered at least once from the outbox, in commit
 * order per payment collection), and read or replay the outbox.
 */
export class DomainEventsApi {
  private readonly orm: MikroORM;
  private readonly subscribers: Subscribers;
  private readonly relay: OutboxRelay | undefined;
  private readonly pruner: OutboxPruner | undefined;

  constructor(setup: DomainEventsApiSetup) {
    this.orm = setup.orm;
    this.subscribers = setup.subscribers;
    this.relay = setup.relay;
    this.pruner = setup.pruner;
  }

  /**
   * Runs `handler` for every event named `name` (`*`: every event) committed from now on, at least once:
   * deduplicate on `event.id`. A handler that throws is retried with backoff, alone, and marked dead for
   * the event after `maxAttempts`. Register the same subscribers in every process that runs a relay.
   */
  subscribe(name: string, handler: EventHandler, options?: SubscribeOptions): () => void {
    return this.subscribers.subscribe(name, handler, options);
  }

  async list(
    filter: { status?: string; name?: string; tenant?: string; payment_collection_id?: string; take?: number } = {},
  ): Promise<OutboxEventDTO[]> {
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    if (filter.name) where.name = filter.name;
    if (filter.tenant) where.tenant = filter.tenant;
    if (filter.payment_collection_id) where.payment_collection_id = filter.payment_collection_id;
    const rows = await this.orm.em.fork().find(OutboxEvent, where, { orderBy: { seq: 'desc' }, limit: filter.take ?? 50 });
    return rows.map(toDTO);
  }

  async retrieve(id: string): Promise<OutboxEventDTO> {
    const row = await this.orm.em.fork().findOne(OutboxEvent, { id });
    if (!row) throw new TenderError('not_found', `Event ${id} was not found.`);
    return toDTO(row);
  }

  /**
   * Delivers the event again to the subscribers that have not taken it (those that gave up get fresh
   * attempts), or, with `subscriber`, to that one subscriber even if it took it.
   */
  async replay(id: string, options: { subscriber?: string } = {}): Promise<OutboxEventDTO> {
    // One statement, so a relay claiming the event meanwhile either holds it (conflict) or claims it replayed.
    const subscriber = options.subscriber ?? null;
    const [row] = await preparedSqlFor(this.orm).execute<({ busy: boolean } & EntityDictionary<OutboxEvent>)[]>(
      REPLAY_OUTBOX_EVENT_SQL,
      [id, subscriber, subscriber],
    );
    if (!row) throw new TenderError('not_found', `Event ${id} was not found.`);
    if (row.busy) throw new TenderError('conflict', `Event ${id} is being delivered right now; replay it when that finishes.`);
    this.relay?.notify();
    const { busy: _, ...replayed } = row;
    return toDTO(this.orm.em.fork().map(OutboxEvent, replayed));
  }

  /** The outbox's lag, undelivered and dead counts, read now. */
  async stats(): Promise<OutboxGauges> {
    const em = this.orm.em.fork();
    const [totals] = await em.execute<{ undelivered: number; lag_ms: number }[]>(OUTBOX_STATS_SQL);
    const dead = await em.execute<{ subscriber: string; n: number }[]>(DEAD_BY_SUBSCRIBER_SQL);
    return {
      outbox_undelivered: totals?.undelivered ?? 0,
      outbox_lag_seconds: Number(totals?.lag_ms ?? 0) / 1000,
      outbox_dead: Object.fromEntries(dead.map((d) => [d.subscriber, d.n])),
    };
  }

  /** Delivers every event due to this process's subscribers, then resolves: for scripts and tests. */
  async drain(): Promise<number> {
    return this.relay ? this.relay.drain() : 0;
  }

  /** Deletes the delivered events older than the retention now (the relay also does this every minute). */
  async prune(): Promise<number> {
    return this.pruner ? this.pruner.prune() : 0;
  }
}
