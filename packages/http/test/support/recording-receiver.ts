import type { IncomingWebhook, WebhookReceipt, WebhookReceiver } from '@tender/core';

type Behavior = (webhook: IncomingWebhook) => Promise<WebhookReceipt>;

/**
 * Stands in for the payment module: records exactly what the HTTP layer handed it and answers
 * according to the provider segment, so one server can exercise every outcome.
 */
export class RecordingReceiver implements WebhookReceiver {
  readonly calls: IncomingWebhook[] = [];
  private readonly behaviors = new Map<string, Behavior>();
  private sequence = 0;

  /** Makes webhooks for `provider` (the route segment) answer with `behavior`. */
  on(provider: string, behavior: Behavior): this {
    this.behaviors.set(provider, behavior);
    return this;
  }

  /** Makes webhooks for `provider` throw `error`. */
  failWith(provider: string, error: unknown): this {
    return this.on(provider, async () => {
      throw error;
    });
  }

  reset(): void {
    this.calls.length = 0;
  }

  async receiveWebhook(webhook: IncomingWebhook): Promise<WebhookReceipt> {
    this.calls.push({ ...webhook, rawBody: Buffer.from(webhook.rawBody) });
    const behavior = this.behaviors.get(webhook.provider);
    if (behavior) return behavior(webhook);
    this.sequence += 1;
    return {
      outcome: 'accepted',
      webhook_event_id: `whe_${this.sequence}`,
      event_id: `evt_${this.sequence}`,
      action: 'authorized',
    };
  }
}
