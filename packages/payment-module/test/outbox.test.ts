import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { until } from '@tender/core/testing';
import {
  createLogger,
  createPaymentModule,
  type DomainEvent,
  type PaymentModule,
  writeOutboxEvents,
} from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule, writeEvents } from '@tender/payment-module/testing';

let payments: TestPaymentModule;
const FAST = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4, pollIntervalMs: 20 };

beforeAll(async () => {
  payments = await createTestPaymentModule({ worker: false, outbox: FAST });
});
afterAll(async () => {
  await payments?.close();
});

async function newCollection(tenant?: string): Promise<string> {
  const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '10.00', tenant } as never);
  return collection.id;
}

describe('the outbox', () => {
  it("appends events in the caller's transaction: a rolled back change leaves none", async () => {
    const collection = await newCollection();
    const before = (await payments.events.list({ payment_collection_id: collection })).length;
    await expect(
      payments.orm.em.fork().transactional(async (em) => {
        await writeOutboxEvents(em, [{ name: 'payment.authorized', data: { payment_collection_id: collection } }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await payments.events.list({ payment_collection_id: collection })).toHaveLength(before);

    const [id] = await writeEvents(payments, [
      { name: 'payment.authorized', data: { payment_collection_id: collection, amount: '10.00' } },
    ]);
    const row = await payments.events.retrieve(id!);
    expect(row).toMatchObject({
      name: 'payment.authorized',
      tenant: 'default',
      payment_collection_id: collection,
      schema_version: 1,
    });
    expect(row.data).toEqual({ payment_collection_id: collection, amount: '10.00' });
  });

  it('writes an event with a dedupe key once, however many tries write it', async () => {
    const key = `cart.completed:cart_${Date.now()}`;
    const first = await writeEvents(payments, [{ name: 'cart.completed', data: {}, dedupe_key: key }]);
    const second = await writeEvents(payments, [{ name: 'cart.completed', data: {}, dedupe_key: key }]);
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });

  it('retries only the subscriber that throws: delivered on its 4th attempt, the others once each', async () => {
    const calls: Record<string, string[]> = { flaky: [], audit: [], mail: [] };
    let failures = 3;
    const off = [
      payments.events.subscribe(
        'test.retry',
        async (event) => {
          calls.flaky!.push(event.id);
          if (failures-- > 0) throw new Error('downstream unavailable');
        },
        { name: 'flaky' },
      ),
      payments.events.subscribe('test.retry', (event) => void calls.audit!.push(event.id), { name: 'audit' }),
      payments.events.subscribe('test.retry', (event) => void calls.mail!.push(event.id), { name: 'mail' }),
    ];
    const [id] = await writeEvents(payments, [{ name: 'test.retry', data: { n: 1 } }]);
    await until(async () => (await payments.events.retrieve(id!)).status === 'delivered');
    for (const unsubscribe of off) unsubscribe();

    expect(calls).toEqual({ flaky: [id, id, id, id], audit: [id], mail: [id] });
    const row = await payments.events.retrieve(id!);
    expect(row.deliveries).toMatchObject({
      flaky: { status: 'delivered', attempts: 4 },
      audit: { status: 'delivered', attempts: 1 },
      mail: { status: 'delivered', attempts: 1 },
    });
  });

  it('marks a subscriber dead after maxAttempts, lists the event as dead, and replays it to that subscriber only', async () => {
    let broken = true;
    const got: Record<string, number> = { broken: 0, fine: 0 };
    const off = [
      payments.events.subscribe(
        'test.dead',
        () => {
          got.broken!++;
          if (broken) throw new Error('always fails');
        },
        { name: 'broken' },
      ),
      payments.events.subscribe('test.dead', () => void got.fine!++, { name: 'fine' }),
    ];
    const [id] = await writeEvents(payments, [{ name: 'test.dead', data: {} }]);
    await until(async () => (await payments.events.retrieve(id!)).status === 'dead');
    expect(got).toEqual({ broken: FAST.maxAttempts, fine: 1 });
    expect((await payments.events.list({ status: 'dead' })).map((e) => e.id)).toContain(id);
    expect((await payments.metrics.collect()).outbox_dead).toMatchObject({ broken: 1 });

    broken = false;
    await payments.events.replay(id!);
    await until(async () => (await payments.events.retrieve(id!)).status === 'delivered');
    for (const unsubscribe of off) unsubscribe();
    expect(got).toEqual({ broken: FAST.maxAttempts + 1, fine: 1 });
  });

  it('refuses to replay an event a relay holds under a live lease, and leaves it as it was', async () => {
    const [id] = await writeEvents(payments, [{ name: 'test.replay-held', data: {} }]);
    await payments.orm.em
      .fork()
      .execute(
        `update outbox_event set status = 'processing', locked_by = 'another-relay', locked_until = now() + interval '1 minute' where id = ?`,
        [id],
      );
    await expect(payments.events.replay(id!)).rejects.toMatchObject({ type: 'conflict' });
    expect(await payments.events.retrieve(id!)).toMatchObject({ status: 'processing' });
    await expect(payments.events.replay('evt_absent')).rejects.toMatchObject({ type: 'not_found' });
    // Once the lease has run out, the replay goes through.
    await payments.orm.em.fork().execute(`update outbox_event set locked_until = now() - interval '1 second' where id = ?`, [id]);
    expect(await payments.events.replay(id!)).toMatchObject({ status: 'pending' });
  });

  it('deletes delivered events older than the retention, and keeps the rest', async () => {
    const pruning = await createTestPaymentModule({ worker: false, outbox: { ...FAST, retentionMs: 0 } });
    try {
      const seen: string[] = [];
      pruning.events.subscribe('test.prune', (e) => void seen.push(e.id), { name: 'prune' });
      const ids = await pruning.orm.em.fork().transactional((em) =>
        writeOutboxEvents(em, [
          { name: 'test.prune', data: {} },
          { name: 'test.prune', data: {} },
        ]),
      );
      await pruning.events.drain();
      expect(seen).toEqual(ids);
      expect(await pruning.events.prune()).toBe(2);
      expect(await pruning.events.list()).toEqual([]);
    } finally {
      await pruning.close();
    }
  });

  it('exposes lag, undelivered and dead counts in the Prometheus text', async () => {
    const idle = await createTestPaymentModule({ worker: false, outbox: { relay: false } });
    try {
      await writeEvents(idle, [{ name: 'test.lag', data: {} }]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = await idle.metrics.toPrometheus();
      expect(text).toMatch(/^tender_webhooks_outbox_undelivered 1$/m);
      expect(Number(text.match(/^tender_webhooks_outbox_lag_seconds (\S+)$/m)![1])).toBeGreaterThan(0.04);
      expect(text).toMatch(/^# TYPE tender_webhooks_event_deliveries_total counter$/m);
    } finally {
      await idle.close();
    }
  });
});

describe('order per payment collection', () => {
  const relays: PaymentModule[] = [];
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()));
  });

  it('authorized before captured before refunded at every subscriber, with four relays interleaving', async () => {
    const log: Record<string, { collection: string; name: string; id: string }[]> = { ship: [], ledger: [] };
    const jitter = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * ms));
    const collections = await Promise.all(Array.from({ length: 10 }, () => newCollection()));
    // A backlog first: each step its own transaction, as authorize, capture and refund are, the collections
    // interleaved; then four relays with small batches, so one collection's events sit in different relays.
    await Promise.all(
      collections.map(async (collection) => {
        for (const name of ['payment.authorized', 'payment.captured', 'payment.refunded']) {
          await jitter(3);
          await writeEvents(payments, [{ name, data: { payment_collection_id: collection } }]);
        }
      }),
    );
    // Every relay claims a batch and holds it at the gate, so they all hold events when delivery starts.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    for (let i = 0; i < 4; i++) {
      const relay = await createPaymentModule({
        databaseUrl: payments.databaseUrl,
        worker: false,
        outbox: { ...FAST, batchSize: 8 },
        logger: createLogger({ level: 'silent' }),
      });
      relays.push(relay);
      for (const name of ['ship', 'ledger']) {
        relay.events.subscribe(
          '*',
          async (event: DomainEvent) => {
            if (!event.name.startsWith('payment.')) return;
            await gate;
            await jitter(15);
            log[name]!.push({ collection: event.payment_collection_id!, name: event.name, id: event.id });
          },
          { name },
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    open();
    await until(() => log.ship!.length >= 30 && log.ledger!.length >= 30, 30_000);

    for (const subscriber of ['ship', 'ledger']) {
      for (const collection of collections) {
        const names = log[subscriber]!.filter((e) => e.collection === collection).map((e) => e.name);
        expect({ subscriber, collection, names }).toEqual({
          subscriber,
          collection,
          names: ['payment.authorized', 'payment.captured', 'payment.refunded'],
        });
      }
      expect(new Set(log[subscriber]!.map((e) => e.id)).size).toBe(30);
    }
  });
});
