import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { relayAnnouncer } from '../src/outbox/write-outbox-events.js';
import { OutcomeWriter } from '../src/webhooks/outcome-writer.js';

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({ providers: [], worker: false });
});
afterAll(async () => {
  await payments?.close();
});

async function claimedRow(id: string, lockedBy: string) {
  await payments.orm.em.fork().execute(
    `insert into webhook_event (id, provider_id, event_id, action, method, raw_body, headers, status, attempts, locked_by, locked_until)
     values (?, 'pp_system_default', ?, 'captured', 'POST', '\\x7b7d'::bytea, '{}'::jsonb, 'processing', 1, ?, now() + interval '1 minute')`,
    [id, `evt_${id}`, lockedBy],
  );
}

async function row(id: string) {
  const [r] = await payments.orm.em.fork().execute<
    {
      status: string;
      result: unknown;
      last_error: string | null;
      locked_by: string | null;
      processed_at: Date | null;
      due_in_s: number;
    }[]
  >(
    `select status, result, last_error, locked_by, processed_at, extract(epoch from next_attempt_at - now())::int as due_in_s
         from webhook_event where id = ?`,
    [id],
  );
  return r!;
}

describe('OutcomeWriter', () => {
  it('records concurrent outcomes in fewer statements, each only where this worker still holds the lease', async () => {
    const writer = new OutcomeWriter(payments.orm, relayAnnouncer(payments.orm, payments.logger));
    for (const id of ['whevt_a', 'whevt_b', 'whevt_c']) await claimedRow(id, 'worker-1');
    await claimedRow('whevt_taken', 'worker-2'); // its lease expired and another worker took it over

    const results = await Promise.all([
      writer.record({
        id: 'whevt_a',
        lockedBy: 'worker-1',
        status: 'processed',
        result: { order_id: 'o1' },
        error: null,
        delayMs: 0,
      }),
      writer.record({
        id: 'whevt_b',
        lockedBy: 'worker-1',
        status: 'failed',
        result: undefined,
        error: 'timeout',
        delayMs: 60_000,
      }),
      writer.record({ id: 'whevt_c', lockedBy: 'worker-1', status: 'ignored', result: { reason: 'x' }, error: null, delayMs: 0 }),
      writer.record({ id: 'whevt_taken', lockedBy: 'worker-1', status: 'processed', result: {}, error: null, delayMs: 0 }),
    ]);

    expect(results).toEqual([true, true, true, false]);
    expect(writer.batches).toBe(2);
    expect(await row('whevt_a')).toMatchObject({ status: 'processed', result: { order_id: 'o1' }, locked_by: null });
    expect((await row('whevt_a')).processed_at).not.toBeNull();
    const failed = await row('whevt_b');
    expect(failed).toMatchObject({ status: 'failed', last_error: 'timeout', processed_at: null, locked_by: null });
    expect(failed.due_in_s).toBeGreaterThanOrEqual(58);
    expect(await row('whevt_c')).toMatchObject({ status: 'ignored', result: { reason: 'x' } });
    expect(await row('whevt_taken')).toMatchObject({ status: 'processing', locked_by: 'worker-2' });
  });
});
