import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GatewayEmulator } from './support/gateway-emulator.js';
import { expectTenderError, makeProvider, SECRET } from './support/harness.js';

const API_KEY = 'gateway-secret-api-key';
const emulator = new GatewayEmulator(API_KEY);
let apiBaseUrl = '';

beforeAll(async () => {
  apiBaseUrl = await emulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.requests.length = 0;
});

const provider = (extra: Record<string, unknown> = {}) =>
  makeProvider({ secrets: [SECRET], apiBaseUrl, apiKey: API_KEY, ...extra });
const ctx = (idempotency_key: string) => ({ idempotency_key });

let sessions = 0;
/** A new session each time: the emulator, like a gateway, replays the payment of a repeated initiate key. */
async function initiated(extra: Record<string, unknown> = {}, amount = '42.10') {
  const session_id = `ps_api_${++sessions}`;
  return provider(extra).initiatePayment({ session_id, amount, currency_code: 'eur', context: ctx(`${session_id}:init`) });
}

describe('gateway API (apiBaseUrl set)', () => {
  it('initiatePayment POSTs /payments with the idempotency key and API key, and keeps the gateway id', async () => {
    const output = await initiated();
    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/payments',
      body: { session_id: output.data?.session_id, amount: '42.10', currency_code: 'eur' },
      headers: {
        'idempotency-key': `${output.data?.session_id}:init`,
        authorization: `Bearer ${API_KEY}`,
        'content-type': 'application/json',
      },
    });
    expect(output.data?.session_id).toMatch(/^ps_api_\d+$/);
    expect(output.id).toMatch(/^gw_\d+$/);
    expect(output.status).toBe('pending');
    expect(output.data).toMatchObject({
      reference: output.id,
      status: 'pending',
      gateway: { pay_url: `https://pay.example/${output.id}` },
    });
  });

  it('sends integer minor units when amountUnit is "minor", refusing an amount that does not fit the currency', async () => {
    await initiated({ amountUnit: 'minor' });
    expect(emulator.requests[0].body?.amount).toBe(4210);
    await expectTenderError(initiated({ amountUnit: 'minor' }, '42.105'), 'invalid_data', /more than 2 decimal places/);
  });

  it('authorize, capture, refund and cancel POST to their documented paths with their idempotency keys', async () => {
    const { id, data } = await initiated();
    const authorized = await provider().authorizePayment({ data: data!, context: ctx('auth:1') });
    expect(authorized.status).toBe('authorized');
    const captured = await provider().capturePayment({
      data: authorized.data!,
      amount: '40.00',
      currency_code: 'eur',
      context: ctx('cap:1'),
    });
    const refunded = await provider().refundPayment({
      data: captured.data!,
      amount: '5.25',
      currency_code: 'eur',
      context: ctx('ref:1'),
    });
    await provider().cancelPayment({ data: data!, context: ctx('cancel:1') });

    expect(emulator.requests.slice(1).map((r) => [r.method, r.path, r.headers['idempotency-key'], r.body])).toEqual([
      ['POST', `/payments/${id}/authorize`, 'auth:1', {}],
      ['POST', `/payments/${id}/capture`, 'cap:1', { amount: '40', currency_code: 'eur' }],
      ['POST', `/payments/${id}/refunds`, 'ref:1', { amount: '5.25', currency_code: 'eur' }],
      ['POST', `/payments/${id}/cancel`, 'cancel:1', {}],
    ]);
    expect(captured.data).toMatchObject({
      status: 'captured',
      captures: [{ idempotency_key: 'cap:1', amount: '40', id: expect.stringMatching(/^cap_/) }],
    });
    expect(refunded.data?.refunds).toEqual([{ idempotency_key: 'ref:1', amount: '5.25', id: expect.stringMatching(/^re_/) }]);
  });

  it('a retried capture carries the same key, so the gateway answers with the same capture', async () => {
    const { data } = await initiated();
    const first = await provider().capturePayment({ data: data!, context: ctx('cap:retry') });
    const retry = await provider().capturePayment({ data: data!, context: ctx('cap:retry') });
    expect(retry).toEqual(first);
    const keys = emulator.requests.filter((r) => r.path.endsWith('/capture')).map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['cap:retry', 'cap:retry']);
  });

  it('a retry whose data already records the capture makes no second call', async () => {
    const { data } = await initiated();
    const first = await provider().capturePayment({ data: data!, context: ctx('cap:once') });
    const before = emulator.requests.length;
    expect(await provider().capturePayment({ data: first.data!, context: ctx('cap:once') })).toEqual(first);
    expect(emulator.requests).toHaveLength(before);
  });

  it('getPaymentStatus asks the gateway', async () => {
    const { data } = await initiated();
    expect((await provider().getPaymentStatus({ data: data! })).status).toBe('pending');
    await provider().authorizePayment({ data: data!, context: ctx('auth:s') });
    expect((await provider().getPaymentStatus({ data: data! })).status).toBe('authorized');
    expect(emulator.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('uses dependencies.fetch when the host provides one', async () => {
    const seen: string[] = [];
    const tracingFetch: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await makeProvider({ secrets: [SECRET], apiBaseUrl, apiKey: API_KEY }, tracingFetch).initiatePayment({
      session_id: 's',
      amount: '1.00',
      currency_code: 'eur',
    });
    expect(seen).toEqual([`${apiBaseUrl}/payments`]);
    expect(emulator.requests[0].headers['idempotency-key']).toBe('initiate:s');
  });

  describe('failures', () => {
    it('5xx and 429 are unavailable (retry later with the same key); other 4xx are provider_error', async () => {
      emulator.failNext(503);
      await expectTenderError(initiated(), 'unavailable', /POST \/v1\/payments answered 503/);
      emulator.failNext(429);
      await expectTenderError(initiated(), 'unavailable', /answered 429/);
      emulator.failNext(422, { error: 'amount too small' });
      await expectTenderError(initiated(), 'provider_error', /answered 422: \{"error":"amount too small"\}/);
    });

    it('a wrong API key is the gateway refusing: provider_error', async () => {
      await expectTenderError(
        provider({ apiKey: 'wrong' }).initiatePayment({ session_id: 's', amount: '1', currency_code: 'eur' }),
        'provider_error',
        /answered 401/,
      );
    });

    it('an answer without an id or with an unknown status is provider_error', async () => {
      emulator.failNext(200, { status: 'pending' });
      await expectTenderError(initiated(), 'provider_error', /without a string "id"/);
      const { data } = await initiated();
      emulator.failNext(200, { status: 'PAID' });
      await expectTenderError(provider().authorizePayment({ data: data! }), 'provider_error', /Gateway answered status "PAID"/);
    });

    it('payment data without a reference is invalid_data', async () => {
      await expectTenderError(provider().capturePayment({ data: { amount: '1.00' } }), 'invalid_data', /no "reference"/);
    });

    it('a closed port is unavailable', async () => {
      const closed = createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const port = (closed.address() as AddressInfo).port;
      closed.close();
      await once(closed, 'close');
      await expectTenderError(
        makeProvider({ secrets: [SECRET], apiBaseUrl: `http://127.0.0.1:${port}` }).initiatePayment({
          session_id: 's',
          amount: '1',
          currency_code: 'eur',
        }),
        'unavailable',
        /Retry later/,
      );
    });

    it('a gateway that does not answer in apiTimeoutMs is unavailable', async () => {
      const silent: Server = createServer(() => {});
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      try {
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
        await expectTenderError(
          makeProvider({ secrets: [SECRET], apiBaseUrl: url, apiTimeoutMs: 100 }).initiatePayment({
            session_id: 's',
            amount: '1',
            currency_code: 'eur',
          }),
          'unavailable',
          /failed: .*(timeout|aborted)/i,
        );
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    });
  });
});
