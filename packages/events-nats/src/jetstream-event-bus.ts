import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import type { DomainEvent, EventBus } from '@tender/payment-module';
import { eventSubject } from './subject.js';

export interface JetStreamEventBusOptions {
  /** NATS servers (default `127.0.0.1:4222`). */
  servers?: string | string[];
  /** First subject token and stream name stem (default `tender`): one stream per prefix. */
  prefix?: string;
  /** Default: the prefix upper-cased, `_EVENTS` appended (`TENDER_EVENTS`). */
  stream?: string;
  /**
   * How long JetStream remembers a `Nats-Msg-Id` to drop a second publish of it (default 2 minutes): keep it
   * longer than the relay's retry backoff, or a republish after a long outage becomes a second message.
   */
  duplicateWindowMs?: number;
  /** The subscriber name its delivery state is kept under (default `nats`). */
  name?: string;
  /** How long one publish waits for JetStream's ack before failing (and being retried by the relay). */
  publishTimeoutMs?: number;
}

/**
 * Publishes every outbox event to NATS JetStream on `<prefix>.<tenant>.<event name>`, with `Nats-Msg-Id` =
 * the event id: the relay delivers at least once, JetStream's duplicate window turns that into one message.
 * A publish that JetStream does not acknowledge throws, so the event stays undelivered and is retried.
 */
export class JetStreamEventBus implements EventBus {
  readonly name: string;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly options: Required<Omit<JetStreamEventBusOptions, 'servers'>>,
  ) {
    this.name = options.name;
  }

  /** Connects (retrying for ever in the background once connected) and creates or updates the stream. */
  static async connect(options: JetStreamEventBusOptions = {}): Promise<JetStreamEventBus> {
    const prefix = options.prefix ?? 'tender';
    const resolved = {
      prefix,
      stream: options.stream ?? `${prefix.toUpperCase().replace(/[^A-Z0-9_-]/g, '_')}_EVENTS`,
      duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
      name: options.name ?? 'nats',
      publishTimeoutMs: options.publishTimeoutMs ?? 5_000,
    };
    const connection = await connect({ servers: options.servers ?? '127.0.0.1:4222', maxReconnectAttempts: -1 });
    try {
      await ensureStream(await jetstreamManager(connection), resolved);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new JetStreamEventBus(connection, jetstream(connection), resolved);
  }

  async publish(event: DomainEvent): Promise<void> {
    const subject = eventSubject(this.options.prefix, event.tenant, event.name);
    await this.js.publish(subject, JSON.stringify(event), { msgID: event.id, timeout: this.options.publishTimeoutMs });
  }

  async close(): Promise<void> {
    await this.connection.drain();
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  options: { prefix: string; stream: string; duplicateWindowMs: number },
): Promise<void> {
  const config = { subjects: [`${options.prefix}.>`], duplicate_window: nanos(options.duplicateWindowMs) };
  try {
    await jsm.streams.info(options.stream);
    await jsm.streams.update(options.stream, config);
  } catch (error) {
    if ((error as { name?: string }).name !== 'StreamNotFoundError') throw error;
    await jsm.streams.add({ name: options.stream, ...config });
  }
}
