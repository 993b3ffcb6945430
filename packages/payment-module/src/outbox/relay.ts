import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import { settleWithLimit } from '../concurrency/settle-with-limit.js';
import { preparedSqlFor } from '../database/prepared-sql.js';
import type { Subscribers } from '../events/subscribers.js';
import { generateId } from '../ids.js';
import type { ClaimLoopOptions } from '../leases/claim-loop-options.js';
import { LeaseHeartbeat } from '../leases/heartbeat.js';
import type { Logger } from '../logger.js';
import {
  CLAIM_OUTBOX_SQL,
  claimOutboxParams,
  OUTBOX_CHANNEL,
  RELEASE_OUTBOX_SQL,
  RENEW_OUTBOX_LEASES_SQL,
  recordOutboxOutcomesSql,
} from '../sql/outbox-event.js';
import { InboxListener } from '../webhooks/inbox-notifications.js';
import type { WebhookMetrics } from '../webhooks/metrics.js';
import { type ClaimedOutboxEvent, type DeliveryOutcome, deliverEvent } from './delivery.js';

/** How a relay claims and delivers events (ClaimLoopOptions: `maxAttempts` counts per subscriber). */
export interface RelayOptions extends ClaimLoopOptions {
  /** Collections delivered at the same time (a collection's own events go one after another, in order). */
  concurrency?: number;
}

/** What a relay is built from. */
export interface OutboxRelaySetup {
  orm: MikroORM;
  /** This process's subscribers: the relay delivers to them only. */
  subscribers: Subscribers;
  metrics: WebhookMetrics;
  logger: Logger;
  options?: RelayOptions;
  /** Where to LISTEN for commits that wrote events; without it the relay only polls. */
  databaseUrl?: string;
}

const DEFAULTS: Required<RelayOptions> = {
  batchSize: 64,
  concurrency: 16,
  leaseMs: 5_000,
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 300_000,
  pollIntervalMs: 1_000,
  listen: true,
};

/** A claimed event's chain: the events of one collection, delivered in order, one after another. */
function chains(events: ClaimedOutboxEvent[]): ClaimedOutboxEvent[][] {
  const byCollection = new Map<string, ClaimedOutboxEvent[]>();
  const alone: ClaimedOutboxEvent[][] = [];
  for (const event of [...events].sort((a, b) => Number(a.seq) - Number(b.seq))) {
    if (!event.payment_collection_id) alone.push([event]);
    else byCollection.set(event.payment_collection_id, [...(byCollection.get(event.payment_collection_id) ?? []), event]);
  }
  return [...alone, ...byCollection.values()];
}

/**
 * Delivers the outbox to this process's subscribers: claims undelivered events (SKIP LOCKED, so relays of
 * every process share the table), runs each subscriber that has not yet taken an event, and records each
 * subscriber's state. Woken by NOTIFY from the writing commit, with a poll as fallback.
 */
export class OutboxRelay {
  readonly id = `${hostname()}:${process.pid}:${generateId('rly').slice(-6)}`;
  private readonly options: Required<RelayOptions>;
  private running = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pending = false;
  private inFlight = 0;
  private listener: InboxListener | undefined;
  private readonly heartbeat: LeaseHeartbeat;
  private readonly orm: MikroORM;
  private readonly subscribers: Subscribers;
  private readonly metrics: WebhookMetrics;
  private readonly logger: Logger;
  private readonly databaseUrl: string | undefined;

  constructor(setup: OutboxRelaySetup) {
    this.orm = setup.orm;
    this.subscribers = setup.subscribers;
    this.metrics = setup.metrics;
    this.logger = setup.logger;
    this.databaseUrl = setup.databaseUrl;
    this.options = { ...DEFAULTS, ...setup.options };
    this.heartbeat = new LeaseHeartbeat({
      renew: () => preparedSqlFor(this.orm).execute(RENEW_OUTBOX_LEASES_SQL, [this.options.leaseMs, this.id]),
      holding: () => this.inFlight > 0,
      leaseMs: this.options.leaseMs,
      onError: (error) => this.logger.warn({ err: error, relay: this.id }, 'could not renew outbox leases'),
    });
  }

  get started(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.heartbeat.start();
    this.loop = this.run();
    if (this.options.listen && this.databaseUrl) {
      this.listener = new InboxListener({
        databaseUrl: this.databaseUrl,
        onEvent: () => this.notify(),
        logger: this.logger,
        channel: OUTBOX_CHANNEL,
      });
      void this.listener.start();
    }
  }

  /**
   * Stops claiming, lets the deliveries in flight finish (at most `timeoutMs`), gives back the claimed events
   * not started, and records what was done. Events still running past the timeout come back after the lease.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopping = true;
    await this.listener?.stop();
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.loop, timedOut]);
    clearTimeout(timer);
    await this.heartbeat.stop();
  }

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Delivers every due event, then resolves: for scripts and tests (the loop keeps running). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const delivered = await this.runOnce();
      total += delivered;
      if (delivered === 0 && this.inFlight === 0) return total;
      if (delivered === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.runOnce();
      } catch (error) {
        this.logger.error({ err: error, relay: this.id }, 'outbox relay round failed');
      }
      if (claimed > 0 || this.pending) {
        this.pending = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.wake?.(), this.options.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** Claims one batch and delivers it; returns how many events it claimed. */
  async runOnce(): Promise<number> {
    if (this.subscribers.size === 0 || this.stopping) return 0;
    this.inFlight++;
    try {
      const db = preparedSqlFor(this.orm);
      const { batchSize, leaseMs } = this.options;
      const claimed = await db.execute<ClaimedOutboxEvent[]>(CLAIM_OUTBOX_SQL, claimOutboxParams(batchSize, this.id, leaseMs));
      if (claimed.length === 0) return 0;
      const outcomes: DeliveryOutcome[] = [];
      const unstarted: string[] = [];
      await settleWithLimit(chains(claimed), this.options.concurrency, (chain) => this.deliverChain(chain, outcomes, unstarted));
      await this.record(outcomes);
      if (unstarted.length > 0) await db.execute(RELEASE_OUTBOX_SQL, [unstarted, this.id]);
      return claimed.length;
    } finally {
      this.inFlight--;
    }
  }

  /** A collection's events in order; after a failure (or on stopping) its later events wait for the next round. */
  private async deliverChain(chain: ClaimedOutboxEvent[], outcomes: DeliveryOutcome[], unstarted: string[]): Promise<void> {
    for (const [i, event] of chain.entries()) {
      if (this.stopping) {
        unstarted.push(...chain.slice(i).map((e) => e.id));
        return;
      }
      const outcome = await deliverEvent(event, this.subscribers.matching(event.name), this.options);
      outcomes.push(outcome);
      this.count(event, outcome);
      if (outcome.status === 'failed') {
        unstarted.push(...chain.slice(i + 1).map((e) => e.id));
        return;
      }
    }
  }

  private count(event: ClaimedOutboxEvent, outcome: DeliveryOutcome): void {
    this.metrics.increment('event_deliveries', outcome.delivered.length);
    this.metrics.increment('event_failures', outcome.failed.length);
    if (outcome.failed.length > 0) {
      this.logger.warn(
        { event_id: event.id, event: event.name, failed: outcome.failed, status: outcome.status, error: outcome.error },
        outcome.status === 'dead' ? 'event subscriber gave up' : 'event subscriber failed; retrying',
      );
    }
    if (outcome.status === 'dead' && outcome.failed.length > 0) this.metrics.increment('event_dead');
  }

  private async record(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const params = outcomes.flatMap((o) => [o.id, o.status, JSON.stringify(o.deliveries), o.error, o.delayMs]);
    const recorded = await preparedSqlFor(this.orm).execute<{ id: string }[]>(recordOutboxOutcomesSql(outcomes.length), [
      ...params,
      this.id,
    ]);
    if (recorded.length < outcomes.length) {
      this.logger.warn(
        { relay: this.id, lost: outcomes.length - recorded.length },
        'outbox lease lost before delivery was recorded',
      );
    }
  }
}
