import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTimestamped } from '@tender/core';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { SYSTEM_SECRET, send, startTestApp, type TestApp, tableCounts } from '../support/app.js';

let app: TestApp;
let sessionId: string;

beforeAll(async () => {
  app = await startTestApp();
  ({ sessionId } = await app.checkout('10.00'));
});
afterAll(async () => {
  await app?.close();
});

const route = () => `${app.url}/hooks/payment/system_default`;
const signed = (overrides: Partial<Parameters<typeof createSystemWebhook>[0]> = {}) =>
  createSystemWebhook({ secret: SYSTEM_SECRET, type: 'payment.captured', session_id: sessionId, amount: '10.00', ...overrides });

describe('every bad input gets a clear 4xx and leaves no state behind', () => {
  const cases: [string, () => Promise<{ status: number; body: any }>, number, RegExp][] = [
    ['a forged signature', () => send(route(), signed({ secret: 'an-attacker-guess' })), 401, /Signature does not match/],
    [
      'a replayed (stale) signature',
      () => send(route(), signed({ timestamp: Math.floor(Date.now() / 1000) - 3600 })),
      401,
      /tolerance/,
    ],
    [
      'a missing signature header',
      () => {
        const w = signed();
        return send(route(), { ...w, headers: { 'content-type': 'application/json' } });
      },
      401,
      /Missing signature header/,
    ],
    [
      'a tampered body',
      () => {
        const w = signed();
        return send(route(), { ...w, rawBody: Buffer.from(w.rawBody.toString().replace('10.00', '1000.00')) });
      },
      401,
      /does not match/,
    ],
    ['an unknown provider', () => send(`${app.url}/hooks/payment/paypal_default`, signed()), 404, /No payment provider at this/],
    ['an unknown tenant', () => send(`${app.url}/hooks/payment/system_default/acme`, signed()), 401, /could not be verified/],
    ['a malformed route', () => send(`${app.url}/hooks/payment/nounderscore`, signed()), 404, /./],
    [
      'an oversized body',
      () => send(route(), { headers: { 'content-type': 'application/json' }, rawBody: Buffer.alloc(1024 * 1024 + 1, 0x20) }),
      413,
      /./,
    ],
    [
      'a wrong content type',
      () => send(route(), { ...signed(), headers: { ...signed().headers, 'content-type': 'image/png' } }),
      415,
      /./,
    ],
    [
      'a malformed JSON body (correctly signed)',
      () => {
        const rawBody = Buffer.from('{"id": "evt_x", "type": ');
        const w = signed();
        return send(route(), {
          rawBody,
          headers: { ...w.headers, 'x-tender-signature': signTimestamped(SYSTEM_SECRET, rawBody) },
        });
      },
      400,
      /not valid JSON/,
    ],
    ['a PUT', () => send(route(), { ...signed(), method: 'PUT' }), 405, /./],
  ];

  it.each(cases)('%s', async (_name, request, status, message) => {
    const before = await tableCounts(app.payments);
    const response = await request();
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).toMatch(message);
    expect(JSON.stringify(response.body)).not.toContain(SYSTEM_SECRET);
    expect(await tableCounts(app.payments)).toEqual(before);
  });
});
