import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { until } from '@tender/core/testing';
import { createLogger, openDatabase } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import pg from 'pg';
import { isConnectionError, unavailableIfDisconnected } from '../src/database/connection-errors.js';
import { INBOX_CHANNEL, InboxListener } from '../src/webhooks/inbox-notifications.js';
import { InboxWriter, type NewWebhookEvent } from '../src/webhooks/inbox-writer.js';

let payments: TestPaymentModule;
let counter = 0;

beforeAll(async () => {
  payments = await createTestPaymentModule();
});
afterAll(async () => {
  await payments?.close();
});

function row(overrides: Partial<NewWebhookEvent> = {}): NewWebhookEvent {
  counter += 1;
  return {
    tenant: 'default',
    providerId: 'pp_system_default',
    eventId: `evt_writer_${counter}`,
    eventType: 'payment.authorized',
    action: 'authorized',
    data: JSON.stringify({ session_id: `payses_${counter}`, amount: '1.00' }),
    method: 'POST',
    rawBody: Buffer.from(`{"n":${counter}}`),
    headers: '{}',
    query: '{}',
    status: 'pending',
    ...overrides,
  };
}

function writer(): InboxWriter {
  return new InboxWriter({ orm: payments.orm, logger: payments.logger });
}

async function rowsFor(eventIds: string[]) {
  return payments.orm.em
    .fork()
    .execute<{ id: string; event_id: string; status: string; raw_body: Buffer }[]>(
      'select id, event_id, status, raw_body from webhook_event where event_id in (?)',
      [eventIds],
    );
}

/** Collects notifications on the inbox channel while `work` runs. */
async function notificationsDuring(work: () => Promise<unknown>): Promise<number> {
  const client = new pg.Client({ connectionString: payments.databaseUrl });
  await client.connect();
  let count = 0;
  client.on('notification', () => {
    count += 1;
  });
  try {
    await client.query(`listen ${INBOX_CHANNEL}`);
    await work();
    // Notifications arrive asynchronously after their commit: a round trip and a short wait let them land.
    await client.query('select 1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    return count;
  } finally {
    await client.end();
  }
}

describe('the inbox writer (group commit)', () => {
  it('stores 50 concurrent distinct events in fewer statements, each caller getting its own id', async () => {
    const w = writer();
    const rows = Array.from({ length: 50 }, () => row());
    const results = await Promise.all(rows.map((r) => w.write(r)));

    expect(results.every((r) => r.inserted)).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(50);
    expect(w.statements).toBeLessThan(50);
    expect(w.statements).toBeGreaterThan(1);
    const stored = new Map((await rowsFor(rows.map((r) => r.eventId))).map((s) => [s.id, s]));
    expect(stored.size).toBe(50);
    results.forEach((result, i) => {
      const storedRow = stored.get(result.id)!;
      expect(storedRow.event_id).toBe(rows[i]!.eventId);
      expect(Buffer.compare(storedRow.raw_body, rows[i]!.rawBody)).toBe(0);
    });
  });

  it('stores 20 concurrent copies of one event once: one insert, the rest duplicates with the same id', async () => {
    const w = writer();
    const event = row();
    // An unrelated write in flight makes all 20 copies queue into one batch, where they are deduplicated.
    const first = w.write(row());
    const results = await Promise.all(Array.from({ length: 20 }, () => w.write({ ...event })));
    await first;

    expect(w.statements).toBe(2);
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await rowsFor([event.eventId])).toHaveLength(1);
  });

  it('answers a batch mixing new events and ones already stored', async () => {
    const old = [row(), row()];
    const before = await Promise.all(old.map((r) => writer().write(r)));
    const w = writer();
    const fresh = [row(), row(), row(), row()];
    // The first write goes alone; the other five queue behind it and go as one statement.
    const mixed = [fresh[0]!, fresh[1]!, old[0]!, fresh[2]!, old[1]!, fresh[3]!];
    const results = await Promise.all(mixed.map((r) => w.write(r)));

    expect(w.statements).toBe(2);
    expect(results.map((r) => r.inserted)).toEqual([true, true, false, true, false, true]);
    expect(results[2]!.id).toBe(before[0]!.id);
    expect(results[4]!.id).toBe(before[1]!.id);
    expect(await rowsFor([...old, ...fresh].map((r) => r.eventId))).toHaveLength(6);
  });

  it('fails only the caller of a bad row; the rest of its batch is stored', async () => {
    const w = writer();
    // `action` is varchar(32): this row violates the column, the others are fine.
    const bad = row({ action: 'x'.repeat(40) });
    const good = [row(), row(), row(), row()];
    const writes = [good[0]!, good[1]!, bad, good[2]!, good[3]!].map((r) => w.write(r));
    const settled = await Promise.allSettled(writes);

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // One statement for the first row, one for the failed batch of four, then four single-row retries.
    expect(w.statements).toBe(6);
    const failure = (settled[2] as PromiseRejectedResult).reason;
    expect(TenderError.is(failure, 'unavailable')).toBe(false);
    expect(String(failure.message)).toMatch(/too long/);
    expect(await rowsFor(good.map((r) => r.eventId))).toHaveLength(4);
    expect(await rowsFor([bad.eventId])).toHaveLength(0);
  });

  it('wakes the workers once per statement with a pending row, and not for ignored rows', async () => {
    const w = writer();
    const pending = await notificationsDuring(() => Promise.all([row(), row(), row()].map((r) => w.write(r))));
    expect(pending).toBeGreaterThanOrEqual(1);
    expect(pending).toBeLessThanOrEqual(w.statements);
    const ignored = await notificationsDuring(() => w.write(row({ status: 'ignored', action: 'not_supported' })));
    expect(ignored).toBe(0);
    const duplicate = row();
    await w.write(duplicate);
    expect(await notificationsDuring(() => w.write({ ...duplicate }))).toBe(0);
  });

  it("carries its sender in its notifications: a listener skips its own process's and wakes for another's", async () => {
    const channel = 'tender_test_own_notifications';
    let woken = 0;
    const listener = new InboxListener({
      databaseUrl: payments.databaseUrl,
      onEvent: () => void woken++,
      logger: payments.logger,
      channel,
      own: 'this-process',
    });
    await listener.start();
    const own = new InboxWriter({ orm: payments.orm, logger: payments.logger, channel, sender: 'this-process' });
    const other = new InboxWriter({ orm: payments.orm, logger: payments.logger, channel, sender: 'another-process' });
    try {
      await until(() => woken === 1); // the round after connecting, for what came before it listened
      await own.write(row());
      await own.close();
      await other.write(row());
      await other.close();
      await until(() => woken === 2);
      // The own notification was sent first: had it been taken, the other's would make three.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(woken).toBe(2);
    } finally {
      await listener.stop();
    }
  });

  it('stores and acknowledges the webhook even when waking the workers fails', async () => {
    // An empty channel name makes pg_notify fail, as a full notification queue would.
    const w = new InboxWriter({ orm: payments.orm, logger: payments.logger, channel: '' });
    const stored = row();
    await expect(w.write(stored)).resolves.toMatchObject({ inserted: true });
    await w.close();
    expect(await rowsFor([stored.eventId])).toEqual([expect.objectContaining({ status: 'pending' })]);
  });

  it('fails every caller of a batch with the lost connection, which the module answers 503', async () => {
    // Nothing listens on port 1: the connection is refused, as when the database is down.
    const unreachable = await openDatabase({ url: 'postgresql://postgres@127.0.0.1:1/tender', connectTimeoutMs: 1000 });
    try {
      const w = new InboxWriter({ orm: unreachable, logger: createLogger({ level: 'silent' }) });
      const settled = await Promise.allSettled([row(), row(), row(), row()].map((r) => w.write(r)));
      expect(w.statements).toBe(2);
      for (const outcome of settled) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason;
        expect(isConnectionError(reason)).toBe(true);
        // What the module's receiveWebhook answers a provider with (database-outage.e2e.test.ts checks the 503 end to end).
        expect(unavailableIfDisconnected(reason)).toMatchObject({
          type: 'unavailable',
          message: 'The payment database is unavailable; retry later.',
        });
      }
    } finally {
      await unreachable.close(true);
    }
  });

  it('drains queued rows on close, then answers 503', async () => {
    const w = writer();
    const writes = [row(), row(), row()].map((r) => w.write(r));
    await w.close();
    expect((await Promise.all(writes)).every((r) => r.inserted)).toBe(true);
    await expect(w.write(row())).rejects.toMatchObject({ type: 'unavailable' });
  });
});
