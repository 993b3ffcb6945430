import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ClaimedWebhookEvent, DomainEvent, ProcessingResult, WorkflowFactory } from '@tender/payment-module';
import { createLogger, createPaymentModule, retryDelayMs } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';

const secret = 'whsec_system_test_secret';
let behaviour: (event: ClaimedWebhookEvent) => Promise<ProcessingResult>;
const runs = new Map<string, number>();

/** A stand-in workflow that records how often each event ran, so the worker's guarantees are visible. */
const countingWorkflow: WorkflowFactory = () => ({
  async run({ input }) {
    runs.set(input.event_id, (runs.get(input.event_id) ?? 0) + 1);
    return behaviour(input);
  },
});

let payments: TestPaymentModule;
const events: DomainEvent[] = [];

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }],
    workflow: countingWorkflow,
    worker: false,
    poolSize: 20,
  });
  payments.events.subscribe('*', (e) => {
    events.push(e);
  });
});
afterAll(async () => {
  await payments?.close();
});
beforeEach(() => {
  behaviour = async () => ({ outcome: 'processed' });
});

async function store(id?: string) {
  const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_1', amount: '1', id });
  return payments.receiveWebhook({
    provider: 'system_default',
    method: 'POST',
    headers: webhook.headers,
    query: {},
    rawBody: webhook.rawBody,
  });
}

async function row(id: string) {
  const [r] = await payments.orm.em
    .fork()
    .execute<{ status: string; attempts: number; next_attempt_at: Date; last_error: string | null }[]>(
      'select status, attempts, next_attempt_at, last_error from webhook_event where id = ?',
      [id],
    );
  return r!;
}

async function outboxRows(dedupeKey: string) {
  return payments.orm.em.fork().execute<{ name: string }[]>('select name from outbox_event where dedupe_key = ?', [dedupeKey]);
}

/**
 * A second module on the same database whose in-process worker polls only once a minute: anything that
 * wakes it sooner is the inbox's in-process notify or PostgreSQL LISTEN/NOTIFY.
 */
function slowPollingModule() {
  return createPaymentModule({
    databaseUrl: payments.databaseUrl,
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }],
    workflow: countingWorkflow,
    worker: { pollIntervalMs: 60_000 },
    logger: createLogger({ level: 'silent' }),
  });
}

describe('the webhook worker', () => {
  it('starts on a new event at once, without waiting for the poll', async () => {
    const app = await slowPollingModule();
    try {
      await app.worker!.whenIdle();
      const processed = new Promise<number>((resolve) => {
        behaviour = async () => {
          resolve(Date.now());
          return { outcome: 'processed' };
        };
      });
      const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_1', amount: '1' });
      const sent = Date.now();
      const receipt = await app.receiveWebhook({
        provider: 'system_default',
        method: 'POST',
        headers: webhook.headers,
        query: {},
        rawBody: webhook.rawBody,
      });
      expect((await processed) - sent).toBeLessThan(30_000);
      await app.worker!.whenIdle();
      expect((await row(receipt.webhook_event_id)).status).toBe('processed');
    } finally {
      await app.close();
    }
  });

  it('a worker in another module instance (another process in production) is woken by LISTEN/NOTIFY, not the poll', async () => {
    const workerOnly = await slowPollingModule();
    try {
      await workerOnly.worker!.whenIdle();
      await new Promise((r) => setTimeout(r, 200)); // its listener connects
      const processed = new Promise<number>((resolve) => {
        behaviour = async () => {
          resolve(Date.now());
          return { outcome: 'processed' };
        };
      });
      const sent = Date.now();
      await store(); // stored through the test's module, whose own worker is off
      expect((await processed) - sent).toBeLessThan(30_000);
    } finally {
      await workerOnly.close();
    }
  });

  it('retries a failing event with exponential backoff and marks it dead after maxAttempts', async () => {
    const worker = payments.createWorker({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 });
    behaviour = async () => {
      throw new Error('cart service unavailable');
    };
    const receipt = await store();
    await worker.runOnce();
    let r = await row(receipt.webhook_event_id);
    expect(r).toMatchObject({ status: 'failed', attempts: 1, last_error: 'cart service unavailable' });
    for (let i = 0; i < 5 && r.status !== 'dead'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await worker.runOnce();
      r = await row(receipt.webhook_event_id);
    }
    expect(r).toMatchObject({ status: 'dead', attempts: 3 });
    // webhook.dead was written with the dead outcome; the outbox delivers it to the subscriber.
    await payments.events.drain();
    expect(events.some((e) => e.name === 'webhook.dead' && e.data.webhook_event_id === receipt.webhook_event_id)).toBe(true);

    // A replay gives it fresh attempts and runs the same pipeline.
    behaviour = async () => ({ outcome: 'processed' });
    await payments.webhooks.replay(receipt.webhook_event_id);
    await worker.drain();
    expect(await row(receipt.webhook_event_id)).toMatchObject({ status: 'processed', attempts: 1 });
  });

  it('replays an event with fresh attempts, but not one a live lease holds, nor one that does not exist', async () => {
    const receipt = await store();
    await payments.orm.em.fork().execute(
      `update webhook_event set status = 'processing', attempts = 2, locked_by = 'elsewhere',
                locked_until = now() + interval '1 minute' where id = ?`,
      [receipt.webhook_event_id],
    );
    await expect(payments.webhooks.replay(receipt.webhook_event_id)).rejects.toMatchObject({ type: 'conflict' });
    expect(await row(receipt.webhook_event_id)).toMatchObject({ status: 'processing', attempts: 2 });

    // Once the lease has run out, the replay takes it back.
    await payments.orm.em
      .fork()
      .execute(`update webhook_event set locked_until = now() - interval '1 second' where id = ?`, [receipt.webhook_event_id]);
    const replayed = await payments.webhooks.replay(receipt.webhook_event_id);
    expect(replayed).toMatchObject({
      id: receipt.webhook_event_id,
      status: 'pending',
      attempts: 0,
      provider_id: 'pp_system_default',
    });
    expect(replayed.received_at).toBeInstanceOf(Date);
    expect(replayed).not.toHaveProperty('busy');
    expect(await row(receipt.webhook_event_id)).toMatchObject({ status: 'pending', attempts: 0 });
    await expect(payments.webhooks.replay('whevt_missing')).rejects.toMatchObject({ type: 'not_found' });
  });

  it('computes backoff delays that grow exponentially, with jitter, under a cap', () => {
    const opts = { baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect(retryDelayMs(1, { ...opts, random: () => 0 })).toBe(500);
    expect(retryDelayMs(1, { ...opts, random: () => 1 })).toBe(1000);
    expect(retryDelayMs(4, { ...opts, random: () => 1 })).toBe(8000);
    expect(retryDelayMs(30, { ...opts, random: () => 1 })).toBe(60_000);
  });

  it('a failed event waits for its next attempt time', async () => {
    const worker = payments.createWorker({ baseDelayMs: 60_000 });
    behaviour = async () => {
      throw new Error('boom');
    };
    const receipt = await store();
    await worker.runOnce();
    const r = await row(receipt.webhook_event_id);
    expect(new Date(r.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 20_000);
    behaviour = async () => ({ outcome: 'processed' });
    expect(await worker.runOnce()).toBe(0);
  });

  it('an expired lease (a crashed worker) lets another worker take the event over', async () => {
    const receipt = await store();
    // A worker claimed it and died: the row is processing with a lease that has run out.
    await payments.orm.em
      .fork()
      .execute(
        `update webhook_event set status = 'processing', attempts = 1, locked_by = 'dead-worker', locked_until = now() - interval '1 second' where id = ?`,
        [receipt.webhook_event_id],
      );
    const worker = payments.createWorker();
    await worker.drain();
    expect(await row(receipt.webhook_event_id)).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it("writes the events a run returns with the event's outcome, and keeps them out of the stored result", async () => {
    const receipt = await store();
    const key = `cart.completed:${receipt.webhook_event_id}`;
    behaviour = async () => ({
      outcome: 'processed',
      events: [{ name: 'cart.completed', dedupe_key: key, data: { cart_id: 'cart_1' } }],
    });
    await payments.createWorker().drain();
    const [stored] = await payments.orm.em
      .fork()
      .execute<{ status: string; result: Record<string, unknown> }[]>('select status, result from webhook_event where id = ?', [
        receipt.webhook_event_id,
      ]);
    expect(stored).toEqual({ status: 'processed', result: { outcome: 'processed' } });
    const written = await outboxRows(key);
    expect(written).toEqual([expect.objectContaining({ name: 'cart.completed' })]);
  });

  it('writes no event of a run whose lease was taken over before its outcome was recorded', async () => {
    const receipt = await store();
    const key = `cart.completed:${receipt.webhook_event_id}`;
    behaviour = async () => {
      // Another worker takes the event over while this run is still going (its lease ran out).
      await payments.orm.em
        .fork()
        .execute(`update webhook_event set locked_by = 'other-worker' where id = ?`, [receipt.webhook_event_id]);
      return { outcome: 'processed', events: [{ name: 'cart.completed', dedupe_key: key, data: {} }] };
    };
    await payments.createWorker().runOnce();
    expect((await row(receipt.webhook_event_id)).status).toBe('processing');
    expect(await outboxRows(key)).toEqual([]);
    await payments.orm.em
      .fork()
      .execute(`update webhook_event set status = 'processed' where id = ?`, [receipt.webhook_event_id]);
  });

  it('a live lease is not taken over', async () => {
    const receipt = await store();
    await payments.orm.em
      .fork()
      .execute(
        `update webhook_event set status = 'processing', locked_by = 'busy-worker', locked_until = now() + interval '1 minute' where id = ?`,
        [receipt.webhook_event_id],
      );
    await payments.createWorker().drain();
    expect((await row(receipt.webhook_event_id)).status).toBe('processing');
    await payments.orm.em
      .fork()
      .execute(`update webhook_event set status = 'processed' where id = ?`, [receipt.webhook_event_id]);
  });

  it('several workers draining the same inbox run each event exactly once', async () => {
    runs.clear();
    behaviour = async () => {
      await new Promise((r) => setTimeout(r, 2));
      return { outcome: 'processed' };
    };
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await store(`evt_many_${i}`)).event_id);
    const workers = Array.from({ length: 4 }, () => payments.createWorker({ batchSize: 5 }));
    await Promise.all(workers.map((w) => w.drain()));
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
  });
});
