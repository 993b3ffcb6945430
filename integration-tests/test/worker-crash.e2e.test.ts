import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';

const script = fileURLToPath(new URL('../support/worker-process.mjs', import.meta.url));
let app: TestApp;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // This app stores webhooks but runs no worker of its own: the child process is the only worker.
  app = await startTestApp({ module: { worker: false } });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await app?.close();
});

function waitForLine(proc: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        proc.stdout!.off('data', onData);
        resolve(line);
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`worker exited (${code}) before "${prefix}"`)));
  });
}

describe('a worker process killed mid-event', () => {
  it('leaves the event to another worker, which applies it exactly once', async () => {
    const { sessionId, cartId, collectionId } = await app.checkout('33.00');
    const webhook = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: sessionId,
      amount: '33.00',
    });
    expect((await send(`${app.url}/hooks/payment/system_default`, webhook)).status).toBe(200);

    child = spawn(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: app.payments.databaseUrl, SYSTEM_SECRET, LEASE_MS: '1000', HOLD_AFTER_PAYMENT: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const inFlight = await waitForLine(child, 'IN_FLIGHT');
    expect(inFlight).toBe(`IN_FLIGHT ${webhook.id}`);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const [row] = await app.payments.webhooks.list({ provider: 'system_default' });
    expect(row).toMatchObject({ event_id: webhook.id, status: 'processing', attempts: 1 });
    // The payment step had committed before the crash; the cart had not been completed.
    expect(await app.carts.countOrders(cartId)).toBe(0);

    await new Promise((r) => setTimeout(r, 1100)); // the dead worker's lease runs out
    const survivor = app.payments.createWorker();
    expect(await survivor.drain()).toBe(1);

    const after = await app.payments.webhooks.retrieve(row!.id);
    expect(after).toMatchObject({ status: 'processed', attempts: 2 });
    expect(await app.payments.service.listPayments({ payment_session_id: sessionId })).toHaveLength(1);
    const [payment] = await app.payments.service.listPayments({ payment_session_id: sessionId });
    expect(payment!.captures).toHaveLength(1);
    expect(await app.carts.countOrders(cartId)).toBe(1);
    expect((await app.payments.service.retrievePaymentCollection(collectionId)).status).toBe('completed');
  });
});
