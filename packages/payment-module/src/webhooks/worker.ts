import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import { settleWithLimit } from '@tender/core';
import { type EventBus, PaymentEvents } from '../events/event-bus.js';
import { generateId } from '../ids.js';
import type { Logger } from '../logger.js';
import { retryDelayMs } from './backoff.js';
import type { InboxEvent, WebhookProcessor } from './inbox-event.js';
import { InboxListener } from './inbox-notifications.js';
import type { WebhookMetrics } from './metrics.js';
import { OutcomeWriter } from './outcome-writer.js';

export interface WorkerOptions {
  /**
   * Events claimed per round trip; the workflow's `prepare` authorizes them together. A worker that dies
   * holds its claimed events until their lease runs out.
   */
  batchSize?: number;
  /**
   * Claimed batches run at the same time: while one batch waits for its commits (the claim, the shared
   * authorization), the others run their per-event steps (carts, outcomes), which keeps both the database
   * and the process busy. Each batch runs up to `concurrency` events.
   */
  batchesInFlight?: number;
  /**
   * Events of a batch processed at the same time. Events of one payment collection still apply one at
   * a time (each change takes the collection's row lock); different collections proceed in parallel.
   * Their statements share the pool (`poolSize`); past it, they wait their turn for a connection.
   */
  concurrency?: number;
  /** How long a claim lasts; a worker that dies mid-event loses it after this and another takes over. */
  leaseMs?: number;
  /** Attempts before an event is marked dead. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Fallback poll for events due for retry, or missed while not listening. */
  pollIntervalMs?: number;
  /** Listen for new events stored by any process (PostgreSQL LISTEN/NOTIFY); default true. */
  listen?: boolean;
}

const DEFAULTS = {
  batchSize: 32,
  batchesInFlight: 3,
  concurrency: 8,
  leaseMs: 60_000,
  maxAttempts: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 3_600_000,
  pollIntervalMs: 1_000,
  listen: true,
};

/** Due rows of one status, oldest first, locked (rows another worker holds are skipped). */
function dueRows(where: string): string {
  return `select id, next_attempt_at from webhook_event where ${where}
   order by next_attempt_at, id limit ? for update skip locked`;
}

/**
 * Claims the oldest due events: new or failed ones whose time has come, and ones whose worker's lease ran
 * out. Each status is read apart, oldest first along `webhook_event_due`, so a claim reads about a batch of
 * rows however many are waiting (one scan for all three statuses sorted the whole backlog on every claim).
 * Parameters: the batch size four times, then the worker's id and the lease in milliseconds.
 */
export const CLAIM_SQL = `
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
returning w.id, w.tenant, w.provider_id, w.event_id, w.event_type, w.action, w.data, w.attempts`;

/** CLAIM_SQL's parameters, in order. */
export function claimParams(batchSize: number, workerId: string, leaseMs: number): unknown[] {
  return [batchSize, batchSize, batchSize, batchSize, workerId, leaseMs];
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

  constructor(
    private readonly orm: MikroORM,
    private readonly processor: WebhookProcessor,
    private readonly metrics: WebhookMetrics,
    private readonly events: EventBus,
    private readonly logger: Logger,
    options: WorkerOptions = {},
    private readonly databaseUrl?: string,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.outcomes = new OutcomeWriter(orm);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = Promise.all(Array.from({ length: this.options.batchesInFlight }, () => this.run())).then(() => undefined);
    if (this.options.listen && this.databaseUrl) {
      this.listener = new InboxListener(this.databaseUrl, () => this.notify(), this.logger);
      void this.listener.start();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.listener?.stop();
    this.wakeAll();
    await this.loop;
  }

  /** Called after an event is stored: process it now rather than at the next poll. */
  notify(): void {
    this.pending = true;
    this.wakeOne();
  }

  /**
   * One sleeping loop starts; it wakes another when it claims a full batch (more may be due). A trickle of
   * events thus costs one claim each, and a burst still gets every loop.
   */
  private wakeOne(): void {
    const [wake] = this.wakers;
    wake?.();
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
      if (processed > 0 || this.pending) {
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
    const em = this.orm.em.fork();
    const claimed = await em.execute<InboxEvent[]>(CLAIM_SQL, claimParams(this.options.batchSize, this.id, this.options.leaseMs));
    if (claimed.length === 0) return 0;
    if (claimed.length === this.options.batchSize) this.wakeOne();
    const prepared = await this.prepare(claimed);
    await settleWithLimit(claimed, this.options.concurrency, (event, i) => this.process(event, prepared[i]));
    return claimed.length;
  }

  /** The processor's work for the whole batch; without it each event still runs, just on its own. */
  private async prepare(events: InboxEvent[]): Promise<unknown[]> {
    if (!this.processor.prepare) return [];
    try {
      return await this.processor.prepare(events);
    } catch (error) {
      this.logger.warn(
        { err: error, worker: this.id, events: events.length },
        'preparing the batch failed; events run one by one',
      );
      return [];
    }
  }

  private async process(event: InboxEvent, prepared: unknown): Promise<void> {
    const started = Date.now();
    const log = {
      webhook_event_id: event.id,
      event_id: event.event_id,
      provider: event.provider_id,
      tenant: event.tenant,
      action: event.action,
    };
    try {
      const result = await this.processor.process(event, prepared);
      await this.finish(event, result.outcome === 'ignored' ? 'ignored' : 'processed', { result });
      this.metrics.increment(result.outcome === 'ignored' ? 'ignored' : 'processed');
      this.logger.info(
        { ...log, outcome: result.outcome, reason: result.reason, latency_ms: Date.now() - started },
        'webhook processed',
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const dead = event.attempts >= this.options.maxAttempts;
      const delay = retryDelayMs(event.attempts, this.options);
      await this.finish(event, dead ? 'dead' : 'failed', { error: message, delayMs: delay });
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
      if (dead) await this.events.emit({ name: PaymentEvents.WEBHOOK_DEAD, data: { ...log, error: message } });
    }
  }

  private async finish(
    event: InboxEvent,
    status: 'processed' | 'ignored' | 'failed' | 'dead',
    outcome: { result?: unknown; error?: string; delayMs?: number },
  ): Promise<void> {
    const recorded = await this.outcomes.record({
      id: event.id,
      lockedBy: this.id,
      status,
      result: outcome.result,
      error: outcome.error ?? null,
      delayMs: outcome.delayMs ?? 0,
    });
    if (!recorded) {
      this.logger.warn({ webhook_event_id: event.id, worker: this.id }, 'lease lost before the outcome was recorded');
    }
  }
}
