import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { eventually, SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';

const script = fileURLToPath(new URL('../support/outbox-process.mjs', import.meta.url));
const LEASE_MS = 2000;
let app: TestApp;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  // Stores webhooks only: the child processes are the workers and the relays.
  app = await startTestApp({ module: { worker: false, outbox: { relay: false } } });
  await app.payments.orm.em
    .fork()
    .execute(
      'create table test_delivery (subscriber text not null, event_id text not null, name text not null, collection text, pid int, at timestamptz not null default clock_timestamp())',
    );
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(async () => {
  await app?.close();
});

function start(env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: app.payments.databaseUrl, SYSTEM_SECRET, LEASE_MS: String(LEASE_MS), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function line(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const found = buffer.split('\n').find((l) => l.startsWith(prefix));
      if (found) {
        child.stdout!.off('data', onData);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${prefix}"`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

async function capturedCheckout(amount: string) {
  const checkout = await app.checkout(amount);
  const webhook = createSystemWebhook({
    secret: SYSTEM_SECRET,
    type: 'payment.captured',
    session_id: checkout.sessionId,
    amount,
  });
  expect((await send(`${app.url}/hooks/payment/system_default`, webhook)).status).toBe(200);
  return { ...checkout, webhook };
}

async function deliveries(collection: string) {
  return app.payments.orm.em
    .fork()
    .execute<{ subscriber: string; name: string; event_id: string; pid: number; at: Date }[]>(
      'select subscriber, name, event_id, pid, at from test_delivery where collection = ? order by at',
      [collection],
    );
}

const events = (rows: { subscriber: string; name: string }[], subscriber: string) =>
  rows.filter((r) => r.subscriber === subscriber).map((r) => r.name);

describe('the outbox across crashes', () => {
  it('a worker SIGKILLed after its commit and before any delivery: after a restart each subscriber gets each event once', async () => {
    const { collectionId } = await capturedCheckout('41.00');
    const first = start({ RELAY: '0' });
    // The webhook's change and its events have committed; no relay runs in this process.
    await eventually(async () => expect((await app.payments.webhooks.list({ status: 'processed' })).length).toBeGreaterThan(0));
    await kill(first);
    expect(await deliveries(collectionId)).toEqual([]);
    expect((await app.payments.events.list({ payment_collection_id: collectionId })).map((e) => e.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);

    start();
    await eventually(async () => expect(await deliveries(collectionId)).toHaveLength(6));
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more arrives
    const rows = await deliveries(collectionId);
    for (const subscriber of ['ship', 'ledger']) {
      expect(events(rows, subscriber)).toEqual(['payment.authorized', 'payment.captured', 'cart.completed']);
    }
  });

  it('a relay SIGKILLed while holding claimed events: another process delivers them within the lease, measured', async () => {
    // The holder runs alone until it has claimed the events, so no other relay can take them first.
    const holder = start({ HOLD_DELIVERY: '1', RELAY: '1' });
    await line(holder, 'READY');
    const holding = line(holder, 'HOLDING');
    const { collectionId } = await capturedCheckout('42.00');
    const held = await holding;
    const survivor = start();
    await line(survivor, 'READY');
    // The holder's heartbeat keeps its claims past one lease while it lives.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 1.5));
    const heldEvent = held.split(' ')[1]!;
    expect((await app.payments.events.retrieve(heldEvent)).status).toBe('processing');

    const killedAt = Date.now();
    await kill(holder);
    await eventually(async () => expect(events(await deliveries(collectionId), 'ship')).toContain('cart.completed'), 15_000);
    const rows = await deliveries(collectionId);
    const shipped = rows.find((r) => r.subscriber === 'ship' && r.event_id === heldEvent)!;
    const seconds = (new Date(shipped.at).getTime() - killedAt) / 1000;
    process.stdout.write(
      `outbox claims of a SIGKILLed relay delivered again after ${seconds.toFixed(2)} s (lease ${LEASE_MS} ms)\n`,
    );
    expect(seconds).toBeLessThan(LEASE_MS / 1000 + 2);
    expect(events(rows, 'ship')).toEqual(['payment.authorized', 'payment.captured', 'cart.completed']);
  });
});

describe('cart.completed, whose order the host commits', () => {
  it('is written by the retry when a crash came between the order and its event, once per cart', async () => {
    const checkout = await app.checkout('45.00');
    // What a crashed first try leaves: the host's order committed, no event, the webhook not yet processed.
    await app.carts.completeCart(checkout.cartId);
    const webhook = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: checkout.sessionId,
      amount: '45.00',
    });
    expect((await send(`${app.url}/hooks/payment/system_default`, webhook)).status).toBe(200);
    const worker = app.payments.createWorker();
    await worker.drain();
    const again = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: checkout.sessionId,
      amount: '45.00',
    });
    expect((await send(`${app.url}/hooks/payment/system_default`, again)).status).toBe(200);
    await worker.drain();
    const completed = (await app.payments.events.list({ payment_collection_id: checkout.collectionId })).filter(
      (e) => e.name === 'cart.completed',
    );
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toMatchObject({ cart_id: checkout.cartId, payment_collection_id: checkout.collectionId });
    expect(await app.carts.countOrders(checkout.cartId)).toBe(1);
  });
});

describe('webhook workers', () => {
  it('SIGKILL of a worker holding a claimed event: another worker processes it within the renewed lease, measured', async () => {
    const holder = start({ HOLD_EVENT: '1', RELAY: '0' });
    await line(holder, 'READY');
    const { webhook, cartId } = await capturedCheckout('43.00');
    await line(holder, `IN_FLIGHT ${webhook.id}`);
    const survivor = start({ RELAY: '0' });
    await line(survivor, 'READY');
    // Past one lease: the holder's heartbeat renewed it, so the survivor has not taken the event.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 1.5));
    const [row] = (await app.payments.webhooks.list({ provider: 'system_default' })).filter((r) => r.event_id === webhook.id);
    expect(row).toMatchObject({ status: 'processing', attempts: 1 });

    const killedAt = Date.now();
    await kill(holder);
    await eventually(async () => expect((await app.payments.webhooks.retrieve(row!.id)).status).toBe('processed'), 15_000);
    const seconds = (Date.now() - killedAt) / 1000;
    process.stdout.write(
      `webhook claim of a SIGKILLed worker processed again after ${seconds.toFixed(2)} s (lease ${LEASE_MS} ms)\n`,
    );
    expect(seconds).toBeLessThan(LEASE_MS / 1000 + 2);
    expect(await app.carts.countOrders(cartId)).toBe(1);
  });

  it('SIGTERM during a slow event: the worker finishes it, exits 0, and the row is processed', async () => {
    const worker = start({ SLOW_EVENT_MS: '1500', RELAY: '0' });
    await line(worker, 'READY');
    const { webhook, cartId } = await capturedCheckout('44.00');
    await line(worker, `IN_FLIGHT ${webhook.id}`);
    const signaledAt = Date.now();
    worker.kill('SIGTERM');
    const [code] = (await once(worker, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(Date.now() - signaledAt).toBeGreaterThan(1000); // it waited for the event instead of dying at once
    const [row] = (await app.payments.webhooks.list({ provider: 'system_default' })).filter((r) => r.event_id === webhook.id);
    expect(row).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await app.carts.countOrders(cartId)).toBe(1);
  });
});
