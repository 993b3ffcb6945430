import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFactory } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';

const secret = 'whsec_system_batches';
const runs = new Map<string, number>();
let running = 0;
let mostRunning = 0;

/** Runs each event for a few milliseconds and records how many ran at once. */
const slowWorkflow: WorkflowFactory = () => ({
  async run({ input }) {
    running++;
    mostRunning = Math.max(mostRunning, running);
    await new Promise((resolve) => setTimeout(resolve, 15));
    running--;
    runs.set(input.event_id, (runs.get(input.event_id) ?? 0) + 1);
    return { outcome: 'processed' };
  },
});

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }],
    workflow: slowWorkflow,
    worker: false,
    poolSize: 20,
  });
});
afterAll(async () => {
  await payments?.close();
});

async function store(i: number) {
  const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: `payses_${i}`, amount: '1' });
  const receipt = await payments.receiveWebhook({
    provider: 'system_default',
    method: 'POST',
    headers: webhook.headers,
    query: {},
    rawBody: webhook.rawBody,
  });
  expect(receipt.outcome).toBe('accepted');
}

describe('a worker with two batches in flight', () => {
  it('runs two claimed batches at once, each event once, and is idle only when both are done', async () => {
    for (let i = 0; i < 40; i++) await store(i);
    const worker = payments.createWorker({ batchSize: 4, concurrency: 4, batchesInFlight: 2, pollIntervalMs: 60_000 });
    worker.start();
    try {
      await worker.whenIdle();
      expect(runs.size).toBe(40);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      // One batch holds at most 4 events: more than 4 at once means the second batch overlapped the first.
      expect(mostRunning).toBeGreaterThan(4);
      expect(mostRunning).toBeLessThanOrEqual(8);
      const { count } = (
        await payments.orm.em
          .fork()
          .execute<{ count: number }[]>(`select count(*)::int as count from webhook_event where status = 'processed'`)
      )[0]!;
      expect(count).toBe(40);
    } finally {
      await worker.stop();
    }
  });
});

describe('worker options', () => {
  it('are checked when a worker is made: a batch of 0, a negative lease or a misspelt option says which and why', () => {
    expect(() => payments.createWorker({ batchSize: 0 })).toThrow(/Invalid worker options: batchSize: .*at least 1/);
    expect(() => payments.createWorker({ leaseMs: -5 })).toThrow(/leaseMs: .*at least 100 ms/);
    expect(() => payments.createWorker({ concurrency: 2.5 })).toThrow(/concurrency: .*a whole number/);
    expect(() => payments.createWorker({ batchsize: 10 } as never)).toThrow(/Invalid worker options: .*batchsize/);
    expect(payments.createWorker({ batchSize: 1, leaseMs: 100 })).toBeDefined();
  });
});
