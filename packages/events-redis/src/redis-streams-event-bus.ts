import type { DomainEvent, EventBus } from '@tender/payment-module';
import { createClient } from 'redis';

export interface RedisStreamsOptions {
  /** Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** The stream is `<prefix>:events` (default `tender`): one stream per prefix. */
  prefix?: string;
}

export interface RedisStreamsEventBusOptions extends RedisStreamsOptions {
  /**
   * How long an event id is remembered to drop a second publish of it (default 24 hours): the relay delivers
   * at least once, and Redis Streams, unlike JetStream, have no duplicate window of their own.
   */
  dedupeWindowMs?: number;
  /** The subscriber name its delivery state is kept under (default `redis`). */
  name?: string;
  /** How long one publish may take before it fails (and is retried by the relay). */
  publishTimeoutMs?: number;
}

export function streamKey(prefix = 'tender'): string {
  return `${prefix}:events`;
}

/** XADD only if the event id was not seen within the window: one entry per event however often it is sent. */
const PUBLISH_ONCE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[6]) then
  return redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'name', ARGV[2], 'tenant', ARGV[3], 'payment_collection_id', ARGV[4], 'event', ARGV[5])
end
return false`;

/**
 * Publishes every outbox event to the Redis stream `<prefix>:events`, one entry per event id (fields `id`,
 * `name`, `tenant`, `payment_collection_id` and the whole `event` as JSON). Consumers read it through consumer
 * groups (`consumeEvents`). While Redis is unreachable a publish fails at once, so the event stays undelivered
 * in the outbox and the relay retries it.
 */
export class RedisStreamsEventBus implements EventBus {
  readonly name: string;

  private constructor(
    private readonly client: ReturnType<typeof createClient>,
    private readonly options: { prefix: string; dedupeWindowMs: number },
    name: string,
  ) {
    this.name = name;
  }

  static async connect(options: RedisStreamsEventBusOptions = {}): Promise<RedisStreamsEventBus> {
    const client = createClient({
      url: options.url ?? 'redis://127.0.0.1:6379',
      disableOfflineQueue: true,
      commandOptions: { timeout: options.publishTimeoutMs ?? 5_000 },
    });
    // Without a listener a lost connection would crash the host; the client reconnects by itself.
    client.on('error', () => {});
    await client.connect();
    const resolved = { prefix: options.prefix ?? 'tender', dedupeWindowMs: options.dedupeWindowMs ?? 86_400_000 };
    return new RedisStreamsEventBus(client, resolved, options.name ?? 'redis');
  }

  async publish(event: DomainEvent): Promise<void> {
    const stream = streamKey(this.options.prefix);
    await this.client.eval(PUBLISH_ONCE, {
      keys: [stream, `${stream}:seen:${event.id}`],
      arguments: [
        event.id,
        event.name,
        event.tenant,
        event.payment_collection_id ?? '',
        JSON.stringify(event),
        String(this.options.dedupeWindowMs),
      ],
    });
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }
}
