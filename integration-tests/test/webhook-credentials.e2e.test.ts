import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { IfthenpayPaymentProvider } from '@tender/provider-ifthenpay';
import { type IfthenpayEmulator, startIfthenpayEmulator } from '@tender/provider-ifthenpay/testing';
import { pino } from 'pino';
import { send } from '../support/app.js';
import { runCli } from '../support/cli/run-cli.js';
import { type RunningServer, serveWebhooks } from '../support/servers.js';

// Distinctive values, so that finding them anywhere in a row, an output or a log is unambiguous.
const ANTI_PHISHING_KEY = 'anti-phishing-key-never-stored-7f3a';
const HOST_TOKEN = 'Bearer host-token-never-stored-91c2';

let emulator: IfthenpayEmulator;
let payments: TestPaymentModule;
let server: RunningServer;
let logs = '';

beforeAll(async () => {
  emulator = await startIfthenpayEmulator({ antiPhishingKey: ANTI_PHISHING_KEY });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  payments = await createTestPaymentModule({
    logger,
    worker: false,
    providers: [
      {
        resolve: IfthenpayPaymentProvider,
        id: 'multibanco',
        options: {
          antiPhishingKey: ANTI_PHISHING_KEY,
          mbKey: emulator.mbKey,
          apiBaseUrl: emulator.baseUrl,
          method: 'multibanco',
        },
      },
    ],
  });
  server = await serveWebhooks('node', payments, { logger });
});
afterAll(async () => {
  await server?.close();
  await payments?.close();
  await emulator?.close();
});

async function paidCallback(amount: string, legacy = false) {
  const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount });
  const session = await payments.service.createPaymentSession(collection.id, {
    provider_id: 'pp_ifthenpay_multibanco',
    amount,
    currency_code: 'eur',
  });
  const callback = emulator.pay(session.data.id as string, { legacy });
  return { ...callback, headers: { ...callback.headers, authorization: HOST_TOKEN } };
}

describe('credentials a provider sends verbatim', () => {
  it('verify the callback, then are neither stored, nor printed by `tender webhooks show`, nor logged', async () => {
    const callback = await paidCallback('12.00');
    expect(callback.query.key).toBe(ANTI_PHISHING_KEY);
    const response = await send(`${server.url}/hooks/payment/ifthenpay_multibanco`, callback);
    expect(response.status).toBe(200);

    const [row] = await payments.orm.em
      .fork()
      .execute<{ id: string; query: Record<string, string>; headers: Record<string, string> }[]>(
        'select id, query, headers from webhook_event',
      );
    expect(row!.query).not.toHaveProperty('key');
    expect(row!.query).toMatchObject({ orderId: callback.query.orderId, amount: '12.00' });
    expect(row!.headers).not.toHaveProperty('authorization');
    expect(row!.headers).toHaveProperty('user-agent', 'ifthenpay-callback');

    for (const args of [[], ['--json']]) {
      const shown = await runCli(['webhooks', 'show', row!.id, '--database-url', payments.databaseUrl, ...args]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(callback.query.orderId);
      expect(shown.stdout).not.toContain(ANTI_PHISHING_KEY);
      expect(shown.stdout).not.toContain('host-token');
    }
    expect(logs).toContain('webhook stored');
    expect(logs).not.toContain(ANTI_PHISHING_KEY);
    expect(logs).not.toContain('host-token');
  });

  it('the legacy parameter name (chave) is dropped too, and a wrong key is still refused', async () => {
    const callback = await paidCallback('7.50', true);
    expect(callback.query.chave).toBe(ANTI_PHISHING_KEY);
    const route = `${server.url}/hooks/payment/ifthenpay_multibanco`;
    expect((await send(route, { ...callback, query: { ...callback.query, chave: 'not-the-key-at-all' } })).status).toBe(401);
    expect((await send(route, callback)).status).toBe(200);
    const rows = await payments.orm.em.fork().execute<{ query: Record<string, string> }[]>('select query from webhook_event');
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(ANTI_PHISHING_KEY);
    expect(logs).not.toContain(ANTI_PHISHING_KEY);
  });
});
