/** Counters a host can read (`payments.metrics.snapshot()`) or export (`toPrometheus()`). */
export const WEBHOOK_COUNTERS = [
  'received',
  'verified',
  'rejected',
  'duplicate',
  'ignored',
  'processed',
  'failed',
  'dead',
] as const;
export type WebhookCounter = (typeof WEBHOOK_COUNTERS)[number];

export class WebhookMetrics {
  private readonly counts = new Map<WebhookCounter, number>(WEBHOOK_COUNTERS.map((name) => [name, 0]));

  increment(name: WebhookCounter, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  snapshot(): Record<WebhookCounter, number> {
    return Object.fromEntries(this.counts) as Record<WebhookCounter, number>;
  }

  toPrometheus(prefix = 'tender_webhooks'): string {
    return `${WEBHOOK_COUNTERS.map((name) => `# TYPE ${prefix}_${name}_total counter\n${prefix}_${name}_total ${this.counts.get(name) ?? 0}`).join('\n')}\n`;
  }
}
