import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainEventsApi } from '../events/domain-events-api.js';
import type { EventBus } from '../events/event-bus.js';
import { Subscribers } from '../events/subscribers.js';
import type { Logger } from '../logger.js';
import type { WebhookMetrics } from '../webhooks/metrics.js';
import { OutboxRelay, type RelayOptions } from './relay.js';
import { OutboxPruner } from './retention.js';

export interface OutboxOptions extends RelayOptions {
  /** `false`: this process delivers no events (others do). Default: a relay once a subscriber is registered. */
  relay?: boolean;
  /** How long delivered events are kept before they are deleted (default 7 days). */
  retentionMs?: number;
  /** How long `close()` waits for deliveries in flight (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface Outbox {
  events: DomainEventsApi;
  relay: OutboxRelay | undefined;
  close(): Promise<void>;
}

const WEEK_MS = 7 * 24 * 3600_000;

/**
 * The outbox's reading side for one process: its subscribers (handlers and broker adapters), the relay that
 * delivers to them (started with the first subscriber: a process with none leaves the events to others), and
 * the pruning of delivered events.
 */
export function startOutbox(
  orm: MikroORM,
  deps: { metrics: WebhookMetrics; logger: Logger; databaseUrl: string; buses: EventBus[] },
  options: OutboxOptions = {},
): Outbox {
  const subscribers = new Subscribers();
  const { metrics, logger, databaseUrl } = deps;
  const relay =
    options.relay === false ? undefined : new OutboxRelay({ orm, subscribers, metrics, logger, options, databaseUrl });
  const pruner = relay ? new OutboxPruner({ orm, retentionMs: options.retentionMs ?? WEEK_MS, logger }) : undefined;
  const events = new DomainEventsApi({ orm, subscribers, relay, pruner });
  deps.metrics.readOutboxWith(() => events.stats());
  subscribers.onAdded(() => {
    relay?.start();
    pruner?.start();
  });
  for (const bus of deps.buses) subscribers.addBus(bus);
  return {
    events,
    relay,
    async close() {
      pruner?.stop();
      await relay?.stop(options.shutdownTimeoutMs ?? 10_000);
      for (const bus of deps.buses) await bus.close?.();
    },
  };
}
