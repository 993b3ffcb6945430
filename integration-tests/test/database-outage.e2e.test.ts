import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger, createPaymentModule, type PaymentModule } from '@tender/payment-module';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { eventually, SYSTEM_SECRET, send } from '../support/app.js';
import { type RunningServer, serveWebhooks } from '../support/servers.js';
import { TcpProxy } from '../support/tcp-proxy.js';

let database: TestDatabase;
let proxy: TcpProxy;
let payments: PaymentModule;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  payments = await createPaymentModule({
    databaseUrl: proxy.wrap(database.url),
    migrate: true,
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SYSTEM_SECRET] } }],
    workflow: processPaymentWorkflow,
    worker: { pollIntervalMs: 100, baseDelayMs: 50, maxDelayMs: 200 },
    logger: createLogger({ level: 'silent' }),
  });
  server = await serveWebhooks('node', payments);
});
afterAll(async () => {
  await server?.close();
  await payments?.close();
  await proxy?.stop();
  await database?.drop();
});

describe('a database outage', () => {
  it('answers 503 while the database is down, and the provider retry succeeds once it is back', async () => {
    const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '8.00' });
    const session = await payments.service.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '8.00',
      currency_code: 'eur',
    });
    const webhook = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: session.id,
      amount: '8.00',
    });

    await proxy.stop();
    const during = await send(`${server.url}/hooks/payment/system_default`, webhook);
    expect(during.status).toBe(503);
    expect(during.body.error.message).not.toMatch(/127\.0\.0\.1|password|tender/i);

    await proxy.start();
    const retry = await eventually(async () => {
      const r = await send(`${server.url}/hooks/payment/system_default`, webhook);
      expect(r.status).toBe(200);
      return r;
    });
    expect(retry.body.outcome).toBe('accepted');
    await eventually(async () =>
      expect((await payments.service.retrievePaymentCollection(collection.id)).status).toBe('completed'),
    );
  });
});
