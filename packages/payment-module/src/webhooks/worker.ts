import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import { settleWithLimit } from '../concurrency/settle-with-limit.js';
import type { Announcer } from '../database/announcer.js';
import { preparedSqlFor } from '../database/prepared-sql.js';
import { type NewDomainEvent, PaymentEvents } from '../events/event-bus.js';
import { generateId } from '../ids.js';
import { LeaseHeartbeat } from '../leases/heartbeat.js';
import type { Logger } from '../logger.js';
import { relayAnnouncer } from '../outbox/write-outbox-events.js';
import { CLAIM_SQL, claimParams, RELEASE_SQL, RENEW_LEASES_SQL } from '../sql/webhook-event.js';
import { retryDelayMs } from './backoff.js';
import { InboxListener } from './inbox-notifications.js';
import type { WebhookMetrics } from './metrics.js';
import { OutcomeWriter } from './outcome-writer.js';
import type { ClaimedWebhookEvent, WebhookProcessor } from './webhook-processor.js';
import { checkWorkerOptions, WORKER_DEFAULTS, type WorkerOptions } from './worker-options.js';

/** What a worker is built from. */
export interface WebhookWorkerSetup {
  orm: MikroORM;
  /** Applies one claimed event (the host's workflow). */
  processor: WebhookProcessor;
  metrics: WebhookMetrics;
  logger: Logger;
  options?: WorkerOptions;
  /** Where to LISTEN for events stored by any process; without it the worker only polls (and is notified in-process). */
  databaseUrl?: string;
  /** The `sender` of this process's inbox writer, whose notifications the worker skips (it is told directly). */
  ownNotifications?: string;
  /**
   * Wakes the outbox relays once outcomes with events have committed: the module passes the one its other
   * writers share (default: the worker's own).
   */
  relays?: Announcer;
}

/**
 * Claims due inbox rows (SKIP LOCKED, so any number of processes share the table), runs the processor,
 * and records the outcome. Runs in the app process by default; `startWorker()` runs it on its own.
 */
export class WebhookWorker {
  readonly id = `${hostname()}:${process.pid}:${generateId('wrk').slice(-6)}`;
  private readonly options: Required<WorkerOptions>;
  private running = false;
  private readonly wakers = new Set<() => void>();
  private pending = false;
  /** Loops in the middle of a batch: the worker is idle only when none is. */
  private busy = 0;
  private loop: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private listener: InboxListener | undefined;
  private readonly outcomes: OutcomeWriter;
  private readonly heartbeat: LeaseHeartbeat;
  /** Set by stop(): claimed events not yet started are given back instead of run. */
  private stopping = false;

  private readonly orm: MikroORM;
  private readonly processor: WebhookProcessor;
  private readonly metrics: WebhookMetrics;
  private readonly logger: Logger;
  private readonly databaseUrl: string | undefined;
  private readonly ownNotifications: string | undefined;

  constructor(setup: WebhookWorkerSetup) {
    this.orm = setup.orm;
    this.processor = setup.processor;
    this.metrics = setup.metrics;
    this.logger = setup.logger;
    this.databaseUrl = setup.databaseUrl;
    this.ownNotifications = setup.ownNotifications;
    this.options = { ...WORKER_DEFAULTS, ...checkWorkerOptions(setup.options ?? {}) };
    this.outcomes = new OutcomeWriter(this.orm, setup.relays ?? relayAnnouncer(this.orm, this.logger));
    this.heartbeat = new LeaseHeartbeat({
      renew: () => preparedSqlFor(this.orm).execute(RENEW_LEASES_SQL, [this.options.leaseMs, this.id]),
      holding: () => this.busy > 0,
      leaseMs: this.options.leaseMs,
      onError: (error) => this.logger.warn({ err: error, worker: this.id }, 'could not renew webhook leases'),
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.heartbeat.start();
    this.loop = Promise.all(Array.from({ length: this.options.batchesInFlight }, () => this.run())).then(() => undefined);
    if (this.options.listen && this.databaseUrl) {
      this.listener = new InboxListener({
        databaseUrl: this.databaseUrl,
        onEvent: () => this.notify(),
        logger: this.logger,
        own: this.ownNotifications,
      });
      void this.listener.start();
    }
  }

  /**
   * Stops claiming, lets the events in flight finish (at most `timeoutMs`) and gives back the claimed ones
   * not started. An event still running past the timeout comes back to another worker after its lease.
   */
  async stop(timeoutMs = this.options.shutdownTimeoutMs): Promise<void> {
    this.running = false;
    this.stopping = true;
    await this.listener?.stop();
    this.wakeAll();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const finished = !this.loop || (await Promise.race([this.loop.then(() => true), timedOut.then(() => false)]));
    clearTimeout(timer);
    if (!finished) this.logger.warn({ worker: this.id, timeout_ms: timeoutMs }, 'webhook worker stopped with events in flight');
    else await this.outcomes.settled();
    await this.heartbeat.stop();
  }

  /**
   * Called after an event is stored: process it now rather than at the next poll. A sleeping loop wakes and
   * claims; when every loop is busy, the first to finish its batch claims again. (Doing both made each
   * notification cost an extra claim that found the rows already taken.)
   */
  notify(): void {
    if (!this.wakeOne()) this.pending = true;
  }

  /**
   * One sleeping loop starts; it wakes another when it claims a full batch (more may be due). A trickle of
   * events thus costs one claim each, and a burst still gets every loop.
   */
  private wakeOne(): boolean {
    const [wake] = this.wakers;
    wake?.();
    return wake !== undefined;
  }

  private wakeAll(): void {
    for (const wake of this.wakers) wake();
  }

  /** Processes every due event, then resolves. For scripts and tests; the loop keeps running. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const processed = await this.runOnce();
      total += processed;
      if (processed === 0) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let processed = 0;
      this.busy++;
      try {
        processed = await this.runOnce();
      } catch (error) {
        this.logger.error({ err: error, worker: this.id }, 'webhook worker round failed');
      } finally {
        this.busy--;
      }
      // A batch short of full took every due event: later ones come with a notification, or at the poll
      // (whenIdle() still gets one more claim, for events that fell due meanwhile).
      if (processed >= this.options.batchSize || this.pending || (processed > 0 && this.idleWaiters.length > 0)) {
        this.pending = false;
        continue;
      }
      if (this.busy === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, this.options.pollIntervalMs);
        this.wakers.add(wake);
      });
    }
  }

  /** Resolves the next time the worker finds nothing due and has no batch in flight. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notify();
    });
  }

  /** Claims one batch and processes it; returns how many events it handled. */
  async runOnce(): Promise<number> {
    if (this.stopping) return 0;
    const db = preparedSqlFor(this.orm);
    const claimed = await db.execute<ClaimedWebhookEvent[]>(
      CLAIM_SQL,
      claimParams(this.options.batchSize, this.id, this.options.leaseMs),
    );
    if (claimed.length === 0) return 0;
    if (claimed.length === this.options.batchSize) this.wakeOne();
    const unstarted: string[] = [];
    await settleWithLimit(claimed, this.options.concurrency, async (event) => {
      if (this.stopping) unstarted.push(event.id);
      else await this.process(event);
    });
    if (unstarted.length > 0) await db.execute(RELEASE_SQL, [unstarted, this.id]);
    return claimed.length;
  }

  private async process(event: ClaimedWebhookEvent): Promise<void> {
    const started = Date.now();
    const log = {
      webhook_event_id: event.id,
      event_id: event.event_id,
      provider: event.provider_id,
      tenant: event.tenant,
      action: event.action,
    };
    try {
      const { events, ...result } = await this.processor.run({ input: { ...event, webhook_event_id: event.id } });
      await this.finish(event, result.outcome, { result, events });
      this.metrics.increment(result.outcome === 'rejected' ? 'contradicted' : result.outcome);
      if (result.foreign) this.metrics.increment('foreign');
      this.logger.info(
        { ...log, outcome: result.outcome, reason: result.reason, latency_ms: Date.now() - started },
        'webhook processed',
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const dead = event.attempts >= this.options.maxAttempts;
      const delay = retryDelayMs(event.attempts, this.options);
      await this.finish(event, dead ? 'dead' : 'failed', {
        error: message,
        delayMs: delay,
        // Written with the outcome, in its transaction: the dead event and its notice commit together.
        events: dead ? [{ name: PaymentEvents.WEBHOOK_DEAD, tenant: event.tenant, data: { ...log, error: message } }] : undefined,
      });
      this.metrics.increment(dead ? 'dead' : 'failed');
      this.logger.warn(
        {
          ...log,
          outcome: dead ? 'dead' : 'failed',
          attempts: event.attempts,
          reason: message,
          latency_ms: Date.now() - started,
        },
        'webhook failed',
      );
    }
  }

  private async finish(
    event: ClaimedWebhookEvent,
    status: 'processed' | 'ignored' | 'rejected' | 'failed' | 'dead',
    outcome: { result?: unknown; error?: string; delayMs?: number; events?: NewDomainEvent[] },
  ): Promise<void> {
    const recorded = await this.outcomes.record({
      id: event.id,
      lockedBy: this.id,
      status,
      result: outcome.result,
      error: outcome.error ?? null,
      delayMs: outcome.delayMs ?? 0,
      events: outcome.events,
    });
    if (!recorded) {
      this.logger.warn({ webhook_event_id: event.id, worker: this.id }, 'lease lost before the outcome was recorded');
    }
  }
}
