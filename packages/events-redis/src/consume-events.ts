import type { DomainEvent } from '@tender/payment-module';
import { createClient } from 'redis';
import { type RedisStreamsOptions, streamKey } from './redis-streams-event-bus.js';

export interface ConsumeOptions extends RedisStreamsOptions {
  /** The consumer group: each group gets every event; its consumers share them. */
  group: string;
  /** This consumer's name within the group (stable across restarts, so its pending entries come back to it). */
  consumer: string;
  /** Acknowledged (XACK) when it resolves; left pending when it throws, to be read again. */
  handler: (event: DomainEvent) => Promise<void>;
  /** Entries another consumer of the group left unacknowledged this long are claimed (default 30 s). */
  claimIdleMs?: number;
  /** How long one read waits for new entries (default 1 s). */
  blockMs?: number;
}

export interface Consumer {
  stop(): Promise<void>;
}

type Entry = { id: string; message: Record<string, string> };

function parse(entry: Entry): DomainEvent {
  const event = JSON.parse(entry.message.event!) as DomainEvent & { created_at: string };
  return { ...event, created_at: new Date(event.created_at) };
}

/**
 * Reads the event stream as one consumer of a consumer group, from the group's start: its own pending entries
 * first (a restart), entries idle too long at another consumer, then new ones. Delivery is at least once;
 * deduplicate on `event.id`.
 */
export async function consumeEvents(options: ConsumeOptions): Promise<Consumer> {
  const client = createClient({ url: options.url ?? 'redis://127.0.0.1:6379' });
  client.on('error', () => {});
  await client.connect();
  const key = streamKey(options.prefix);
  try {
    await client.xGroupCreate(key, options.group, '0', { MKSTREAM: true });
  } catch (error) {
    if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
  }
  let running = true;
  const handle = async (entries: Entry[]) => {
    for (const entry of entries) {
      try {
        await options.handler(parse(entry));
        await client.xAck(key, options.group, entry.id);
      } catch {
        // Left pending: read again after a restart, or claimed by another consumer once idle.
      }
    }
  };
  const read = async (id: string) => {
    const reply = (await client.xReadGroup(
      options.group,
      options.consumer,
      { key, id },
      { COUNT: 100, BLOCK: id === '>' ? (options.blockMs ?? 1000) : undefined },
    )) as { messages: Entry[] }[] | null;
    return reply?.[0]?.messages ?? [];
  };
  const loop = (async () => {
    await handle(await read('0'));
    while (running) {
      try {
        const claimed = await client.xAutoClaim(key, options.group, options.consumer, options.claimIdleMs ?? 30_000, '0-0', {
          COUNT: 100,
        });
        await handle(claimed.messages.filter((m): m is Entry => m !== null) as Entry[]);
        await handle(await read('>'));
      } catch {
        // Redis unreachable: the client reconnects; read again shortly.
        if (running) await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.close();
    },
  };
}
