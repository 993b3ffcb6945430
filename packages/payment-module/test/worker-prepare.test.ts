import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WorkflowFactory, WorkflowInput } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { pino } from 'pino';

const secret = 'whsec_worker_prepare_secret';

/** What the stand-in workflow saw: each prepare call's inputs, and what each run was handed. */
let prepareCalls: WorkflowInput[][];
let runs: { event_id: string; prepared: unknown }[];
let prepareFails: boolean;

/** A stand-in workflow with a batch step, recording what the worker hands it. */
const preparingWorkflow: WorkflowFactory = () => ({
  async prepare(inputs) {
    prepareCalls.push(inputs);
    if (prepareFails) throw new Error('the batch read failed');
    return inputs.map((input) => `prepared:${input.event_id}`);
  },
  async run({ input, prepared }) {
    runs.push({ event_id: input.event_id, prepared });
    return { outcome: 'processed' };
  },
});

let payments: TestPaymentModule;
const logs: { level: number; msg: string; events?: number }[] = [];

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }],
    workflow: preparingWorkflow,
    worker: false,
    logger: pino(
      { level: 'warn' },
      {
        write(line: string) {
          logs.push(JSON.parse(line));
        },
      },
    ),
  });
});
afterAll(async () => {
  await payments?.close();
});
beforeEach(() => {
  prepareCalls = [];
  runs = [];
  prepareFails = false;
  logs.length = 0;
});

/** Stores `n` webhooks and returns their event ids, in order. */
async function store(n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const webhook = createSystemWebhook({
      secret,
      type: 'payment.captured',
      session_id: `payses_${prefix}_${i}`,
      amount: '1',
      id: `evt_${prefix}_${i}`,
    });
    const receipt = await payments.receiveWebhook({
      provider: 'system_default',
      method: 'POST',
      headers: webhook.headers,
      query: {},
      rawBody: webhook.rawBody,
    });
    ids.push(receipt.event_id);
  }
  return ids;
}

async function statuses(prefix: string): Promise<string[]> {
  const rows = await payments.orm.em
    .fork()
    .execute<{ status: string }[]>('select status from webhook_event where event_id like ? order by event_id', [
      `evt_${prefix}_%`,
    ]);
  return rows.map((r) => r.status);
}

describe("the worker and the workflow's prepare", () => {
  it('prepares each claimed batch once and hands every event its own entry', async () => {
    const ids = await store(10, 'ok');
    expect(await payments.createWorker({ batchSize: 4, concurrency: 3 }).drain()).toBe(10);
    expect(prepareCalls.map((inputs) => inputs.length)).toEqual([4, 4, 2]);
    expect(
      prepareCalls
        .flat()
        .map((i) => i.event_id)
        .sort(),
    ).toEqual([...ids].sort());
    // The workflow's input is the inbox row under the name the workflow knows.
    for (const input of prepareCalls.flat()) expect(input.webhook_event_id).toBe(input.id);
    expect(runs).toHaveLength(10);
    for (const run of runs) expect(run.prepared).toBe(`prepared:${run.event_id}`);
    expect(await statuses('ok')).toEqual(Array(10).fill('processed'));
  });

  it('a prepare that throws is logged, and every event of the batch still runs, unprepared', async () => {
    prepareFails = true;
    const ids = await store(6, 'unprepared');
    expect(await payments.createWorker({ batchSize: 16 }).drain()).toBe(6);
    expect(prepareCalls).toHaveLength(1);
    expect(runs.map((r) => r.event_id).sort()).toEqual([...ids].sort());
    for (const run of runs) expect(run.prepared).toBeUndefined();
    expect(await statuses('unprepared')).toEqual(Array(6).fill('processed'));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'preparing the batch failed; events run one by one', events: 6 }));
  });
});
