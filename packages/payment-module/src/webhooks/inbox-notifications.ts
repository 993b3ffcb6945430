import pg from 'pg';
import type { Logger } from '../logger.js';

/** The PostgreSQL channel on which the inbox announces new events to worker processes. */
export const INBOX_CHANNEL = 'tender_webhook_events';

/** What a listener is built from. */
export interface InboxListenerSetup {
  databaseUrl: string;
  /** Called on each notification, and once after every (re)connect for what came while not listening. */
  onEvent: () => void;
  logger: Logger;
  /** The channel to LISTEN on (default the inbox's). */
  channel?: string;
  /**
   * The payload of this process's own notifications (its inbox writer's `sender`): they are skipped, as the
   * process's worker is already told of its rows directly, and a second wake-up would only claim nothing.
   */
  own?: string;
}

/**
 * Wakes a worker when any process stores an event (PostgreSQL LISTEN/NOTIFY), so workers in other
 * processes start at once instead of at their next poll. Best effort: a lost connection is retried
 * with backoff, and the worker's poll covers any gap.
 */
export class InboxListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 250;
  private readonly databaseUrl: string;
  private readonly onEvent: () => void;
  private readonly logger: Logger;
  private readonly channel: string;
  private readonly own: string | undefined;

  constructor(setup: InboxListenerSetup) {
    this.databaseUrl = setup.databaseUrl;
    this.onEvent = setup.onEvent;
    this.logger = setup.logger;
    this.channel = setup.channel ?? INBOX_CHANNEL;
    this.own = setup.own || undefined;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (this.own === undefined || message.payload !== this.own) this.onEvent();
    });
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
      this.client = client;
      this.retryDelayMs = 250;
      // Anything stored while we were not listening is found by this immediate round.
      this.onEvent();
    } catch (error) {
      this.reconnect(client, error);
    }
  }

  private reconnect(client: pg.Client, error?: unknown): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => {});
    void client.end().catch(() => {});
    if (this.stopped || this.retryTimer) return;
    if (error)
      this.logger.warn({ err: error, retry_in_ms: this.retryDelayMs }, 'inbox listener lost its connection; polling meanwhile');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryDelayMs);
    this.retryTimer.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 10_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
