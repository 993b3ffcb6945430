import { Counter, Gauge, Registry } from 'prom-client';

/** Counters a host can read (`payments.metrics.snapshot()`) or export (`toPrometheus()`). */
export const WEBHOOK_COUNTERS = [
  'received',
  'verified',
  'rejected',
  'duplicate',
  'ignored',
  /** Ignored because the session belongs to another provider or tenant, or to another payment object. */
  'foreign',
  /** Not applied because the provider's own status kept contradicting the webhook. */
  'contradicted',
  'processed',
  'failed',
  'dead',
] as const;
/** Outbox deliveries: one per subscriber that took an event, failed on it, or gave up on it. */
export const EVENT_COUNTERS = ['event_deliveries', 'event_failures', 'event_dead'] as const;
export type WebhookCounter = (typeof WEBHOOK_COUNTERS)[number] | (typeof EVENT_COUNTERS)[number];

/** The outbox's state as the database has it now. */
export interface OutboxGauges {
  /** Events some subscriber has still to get. */
  outbox_undelivered: number;
  /** Age of the oldest of them, in seconds (0 when none). */
  outbox_lag_seconds: number;
  /** Events a subscriber gave up on, by subscriber. */
  outbox_dead: Record<string, number>;
}

export type MetricsSnapshot = Record<WebhookCounter, number>;

export class WebhookMetrics {
  private readonly counts = new Map<WebhookCounter, number>([...WEBHOOK_COUNTERS, ...EVENT_COUNTERS].map((name) => [name, 0]));
  private outboxReader: (() => Promise<OutboxGauges>) | undefined;

  increment(name: WebhookCounter, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  snapshot(): MetricsSnapshot {
    return Object.fromEntries(this.counts) as MetricsSnapshot;
  }

  /** How the outbox gauges are read; set by the module. */
  readOutboxWith(reader: () => Promise<OutboxGauges>): void {
    this.outboxReader = reader;
  }

  /** The counters and the outbox's gauges, read now. */
  async collect(): Promise<MetricsSnapshot & OutboxGauges> {
    const outbox = (await this.outboxReader?.()) ?? { outbox_undelivered: 0, outbox_lag_seconds: 0, outbox_dead: {} };
    return { ...this.snapshot(), ...outbox };
  }

  /** The Prometheus text exposition of `collect()`: `<prefix>_<counter>_total` and the outbox gauges. */
  async toPrometheus(prefix = 'tender_webhooks'): Promise<string> {
    const now = await this.collect();
    const registry = new Registry();
    for (const name of [...WEBHOOK_COUNTERS, ...EVENT_COUNTERS]) {
      new Counter({ name: `${prefix}_${name}_total`, help: `tender ${name.replace('_', ' ')}`, registers: [registry] }).inc(
        now[name],
      );
    }
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name: `${prefix}_${name}`, help, labelNames, registers: [registry] });
    gauge('outbox_undelivered', 'domain events some subscriber has still to get').set(now.outbox_undelivered);
    gauge('outbox_lag_seconds', 'age of the oldest undelivered domain event').set(now.outbox_lag_seconds);
    const dead = gauge('outbox_dead', 'domain events a subscriber gave up on', ['subscriber']);
    for (const [subscriber, n] of Object.entries(now.outbox_dead)) dead.set({ subscriber }, n);
    return registry.metrics();
  }
}
