import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTimestamped } from '@tender/core';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { eventually, SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ module: { poolSize: 20 } });
});
afterAll(async () => {
  await app?.close();
});

describe('duplicates over HTTP', () => {
  it('the same event delivered 50 times concurrently: one row, one workflow run, one order', async () => {
    const { sessionId, cartId } = await app.checkout('12.00');
    const webhook = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: sessionId,
      amount: '12.00',
    });
    const processedBefore = app.payments.metrics.snapshot().processed;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => send(`${app.url}/hooks/payment/system_default`, webhook)),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.filter((r) => r.body.outcome === 'accepted')).toHaveLength(1);
    expect(responses.filter((r) => r.body.outcome === 'duplicate')).toHaveLength(49);
    await eventually(async () => expect(await app.carts.countOrders(cartId)).toBe(1));
    await app.payments.worker!.whenIdle();
    const rows = await app.payments.webhooks.list({ provider: 'system_default' });
    expect(rows.filter((r) => r.event_id === webhook.id)).toHaveLength(1);
    expect(app.payments.metrics.snapshot().processed - processedBefore).toBe(1);
    await app.payments.events.drain();
    expect(app.events.filter((e) => e.name === 'cart.completed' && e.data.cart_id === cartId)).toHaveLength(1);
  });
});

describe('raw bytes reach the signature check unchanged', () => {
  it('a body with unusual whitespace and unicode verifies, and is stored byte for byte', async () => {
    const { sessionId } = await app.checkout('5.00');
    const text = `{\r\n\t"id" :  "evt_ws_1",\n"type":"payment.authorized",   "note": "Zoë — 支払い ✓ \\u00e9",\n  "data": {"session_id":"${sessionId}","amount":"5.00"}  }\n\n`;
    const rawBody = Buffer.from(text, 'utf8');
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-tender-signature': signTimestamped(SYSTEM_SECRET, rawBody),
    };
    const response = await send(`${app.url}/hooks/payment/system_default`, { headers, rawBody });
    expect(response.status).toBe(200);
    const stored = await app.payments.webhooks.retrieve(
      (await app.payments.webhooks.list({})).find((e) => e.event_id === 'evt_ws_1')!.id,
    );
    expect(Buffer.compare(stored.raw_body, rawBody)).toBe(0);
  });

  it('the same body re-serialized (as a JSON body parser would) does not verify', async () => {
    const { sessionId } = await app.checkout('5.00');
    const text = `{ "id": "evt_ws_2", "type": "payment.authorized", "note": "Zoë", "data": { "session_id": "${sessionId}", "amount": "5.00" } }`;
    const original = Buffer.from(text);
    const headers = { 'content-type': 'application/json', 'x-tender-signature': signTimestamped(SYSTEM_SECRET, original) };
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(text)));
    const response = await send(`${app.url}/hooks/payment/system_default`, { headers, rawBody: reserialized });
    expect(response.status).toBe(401);
  });
});
