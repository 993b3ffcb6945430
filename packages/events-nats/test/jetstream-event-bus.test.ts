import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { until } from '@tender/core/testing';
import { JetStreamEventBus } from '@tender/events-nats';
import { createTestPaymentModule, type TestPaymentModule, writeEvents } from '@tender/payment-module/testing';

const NATS = '127.0.0.1:4222';
const RETRY = { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 1000, pollIntervalMs: 50 };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function moduleWith(bus: JetStreamEventBus): Promise<TestPaymentModule> {
  const payments = await createTestPaymentModule({ worker: false, eventBus: bus, outbox: RETRY });
  cleanups.push(() => payments.close());
  return payments;
}

/** Every message of the stream: subject, Nats-Msg-Id and the event. */
async function messages(servers: string, stream: string) {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const out = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      out.push({ subject: m!.subject, msgId: m!.header.get('Nats-Msg-Id'), event: m!.json<{ id: string; name: string }>() });
    }
    return out;
  } finally {
    await nc.close();
  }
}

const prefix = () => `t${Math.random().toString(36).slice(2, 10)}`;

describe('JetStreamEventBus against the NATS server on 127.0.0.1:4222', () => {
  it('publishes each outbox event once, on tender.<tenant>.<event name>, with Nats-Msg-Id = event id, even when published twice', async () => {
    const p = prefix();
    const bus = await JetStreamEventBus.connect({ servers: NATS, prefix: p });
    cleanups.push(async () => {
      const nc = await connect({ servers: NATS });
      await (await jetstreamManager(nc)).streams.delete(`${p.toUpperCase()}_EVENTS`);
      await nc.close();
    });
    const payments = await moduleWith(bus);
    const ids = await writeEvents(payments, [
      { name: 'payment.authorized', tenant: 'shop-a', data: { amount: '10.00' } },
      { name: 'payment.captured', tenant: 'shop-a', data: { amount: '10.00' } },
      { name: 'cart.completed', tenant: 'shop.b', data: { order_id: 'order_1' } },
    ]);
    await until(async () => (await payments.events.list({ status: 'delivered' })).length === 3);

    // The relay publishes again (a replay; or a crash after the publish and before the outcome was recorded).
    await payments.events.replay(ids[0]!, { subscriber: 'nats' });
    await until(async () => (await payments.events.retrieve(ids[0]!)).status === 'delivered');
    await bus.publish({ ...(await payments.events.retrieve(ids[1]!)), created_at: new Date() } as never);

    const stored = await messages(NATS, `${p.toUpperCase()}_EVENTS`);
    expect(stored.map((m) => m.msgId)).toEqual(ids);
    expect(stored.map((m) => m.event.id)).toEqual(ids);
    expect(stored.map((m) => m.subject)).toEqual([
      `${p}.shop-a.payment.authorized`,
      `${p}.shop-a.payment.captured`,
      `${p}.shop%2Eb.cart.completed`,
    ]);
  });
});

/** A NATS server of the test's own, so it can be stopped and started again without touching the machine's. */
async function privateNats(): Promise<{ url: string; start(): Promise<void>; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tender-nats-'));
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  let child: ChildProcess | undefined;
  const url = `127.0.0.1:${port}`;
  const handle = {
    url,
    async start() {
      child = spawn(natsServerBinary(), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
      await until(async () => {
        try {
          await (await connect({ servers: url, reconnect: false })).close();
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
  cleanups.push(async () => {
    await handle.stop();
    await rm(dir, { recursive: true, force: true });
  });
  await handle.start();
  return handle;
}

describe('JetStreamEventBus with a broker that goes down', () => {
  it('keeps what it could not publish in the outbox and publishes all of it once the broker is back', async () => {
    const nats = await privateNats();
    const p = prefix();
    const bus = await JetStreamEventBus.connect({ servers: nats.url, prefix: p, publishTimeoutMs: 500 });
    const payments = await moduleWith(bus);
    await nats.stop();
    const ids = await writeEvents(
      payments,
      Array.from({ length: 5 }, (_, i) => ({ name: 'payment.captured', data: { n: i } })),
    );
    await until(async () => (await payments.events.list({ status: 'failed' })).length > 0);
    expect(await payments.events.list({ status: 'delivered' })).toEqual([]);

    await nats.start();
    await until(async () => (await payments.events.list({ status: 'delivered' })).length === 5, 30_000);
    const stored = await messages(nats.url, `${p.toUpperCase()}_EVENTS`);
    expect(stored.map((m) => m.msgId).sort()).toEqual([...ids].sort());
  });
});

/**
 * The machine's nats-server: on PATH, or in the sbin folder Debian's package puts it in, which is on root's
 * PATH but not on other users'.
 */
function natsServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin'];
  return (
    dirs
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, 'nats-server'))
      .find((path) => existsSync(path)) ?? 'nats-server'
  );
}
