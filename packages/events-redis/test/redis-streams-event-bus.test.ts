import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { until } from '@tender/core/testing';
import { consumeEvents, RedisStreamsEventBus, streamKey } from '@tender/events-redis';
import type { DomainEvent } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule, writeEvents } from '@tender/payment-module/testing';
import { createClient } from 'redis';

const REDIS = 'redis://127.0.0.1:6379';
const RETRY = { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 1000, pollIntervalMs: 50 };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function moduleWith(bus: RedisStreamsEventBus): Promise<TestPaymentModule> {
  const payments = await createTestPaymentModule({ worker: false, eventBus: bus, outbox: RETRY });
  cleanups.push(() => payments.close());
  return payments;
}

async function entries(url: string, prefix: string) {
  const client = createClient({ url });
  await client.connect();
  try {
    return (await client.xRange(streamKey(prefix), '-', '+')).map((e) => e.message);
  } finally {
    await client.close();
  }
}

async function dropPrefix(url: string, prefix: string) {
  const client = createClient({ url });
  await client.connect();
  const keys = await client.keys(`${prefix}:*`);
  if (keys.length > 0) await client.del(keys);
  await client.close();
}

const prefix = () => `t${Math.random().toString(36).slice(2, 10)}`;

describe('RedisStreamsEventBus against the Redis server on 127.0.0.1:6379', () => {
  it('adds one entry per event with its id, even when published twice, and each consumer group gets every event', async () => {
    const p = prefix();
    cleanups.push(() => dropPrefix(REDIS, p));
    const bus = await RedisStreamsEventBus.connect({ url: REDIS, prefix: p });
    const payments = await moduleWith(bus);
    const got: Record<string, DomainEvent[]> = { fulfilment: [], analytics: [] };
    for (const group of ['fulfilment', 'analytics']) {
      const consumer = await consumeEvents({
        url: REDIS,
        prefix: p,
        group,
        consumer: `${group}-1`,
        blockMs: 100,
        handler: async (event) => void got[group]!.push(event),
      });
      cleanups.push(() => consumer.stop());
    }
    const ids = await writeEvents(payments, [
      { name: 'payment.authorized', tenant: 'shop-a', data: { amount: '10.00' } },
      { name: 'payment.captured', tenant: 'shop-a', data: { amount: '10.00' } },
      { name: 'cart.completed', tenant: 'shop-b', data: { order_id: 'order_1' } },
    ]);
    await until(async () => (await payments.events.list({ status: 'delivered' })).length === 3);
    await payments.events.replay(ids[0]!, { subscriber: 'redis' });
    await until(async () => (await payments.events.retrieve(ids[0]!)).status === 'delivered');
    await bus.publish({ ...(await payments.events.retrieve(ids[1]!)), created_at: new Date() } as never);

    const stored = await entries(REDIS, p);
    expect(stored.map((e) => e.id)).toEqual(ids);
    expect(stored.map((e) => `${e.tenant} ${e.name}`)).toEqual([
      'shop-a payment.authorized',
      'shop-a payment.captured',
      'shop-b cart.completed',
    ]);
    await until(() => got.fulfilment!.length === 3 && got.analytics!.length === 3);
    for (const group of ['fulfilment', 'analytics']) {
      expect(got[group]!.map((e) => e.id)).toEqual(ids);
      expect(got[group]![2]).toMatchObject({ name: 'cart.completed', tenant: 'shop-b', data: { order_id: 'order_1' } });
    }
  });
});

async function privateRedis(): Promise<{ url: string; start(): Promise<void>; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const handle = {
    url,
    async start() {
      child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await until(async () => {
        const client = createClient({ url, socket: { reconnectStrategy: false } });
        client.on('error', () => {});
        try {
          await client.connect();
          await client.close();
          return true;
        } catch {
          return false;
        }
      });
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
  cleanups.push(() => handle.stop());
  await handle.start();
  return handle;
}

describe('RedisStreamsEventBus with a broker that goes down', () => {
  it('keeps what it could not publish in the outbox and publishes all of it once Redis is back', async () => {
    const redis = await privateRedis();
    const p = prefix();
    const bus = await RedisStreamsEventBus.connect({ url: redis.url, prefix: p, publishTimeoutMs: 500 });
    const payments = await moduleWith(bus);
    await redis.stop();
    const ids = await writeEvents(
      payments,
      Array.from({ length: 5 }, (_, i) => ({ name: 'payment.captured', data: { n: i } })),
    );
    await until(async () => (await payments.events.list({ status: 'failed' })).length > 0);
    expect(await payments.events.list({ status: 'delivered' })).toEqual([]);

    await redis.start();
    await until(async () => (await payments.events.list({ status: 'delivered' })).length === 5, 30_000);
    expect((await entries(redis.url, p)).map((e) => e.id).sort()).toEqual([...ids].sort());
  });
});
