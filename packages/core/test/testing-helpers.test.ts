import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  deliverWebhook,
  type EmulatorRequest,
  type LocalServer,
  startLocalServer,
  type WebhookDelivery,
} from '../src/testing/index.js';

let server: LocalServer;
const received: EmulatorRequest[] = [];
beforeAll(async () => {
  server = await startLocalServer((request) => {
    received.push(request);
    return { status: 200, json: '{"ok":true}' };
  });
});
afterAll(async () => {
  await server.close();
});

describe('deliverWebhook', () => {
  it('sends the delivery unchanged: method, headers, query and body bytes', async () => {
    const delivery: WebhookDelivery = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      query: { secret: 's'.repeat(16) },
      rawBody: Buffer.from('{ "id": "p1",\n  "value": 10.10 }'),
    };
    const response = await deliverWebhook(`${server.baseUrl}/hooks/payment/easypay_mb`, delivery);
    expect(response.status).toBe(200);
    const request = received.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/payment/easypay_mb', body: delivery.rawBody.toString() });
    expect(request.query.get('secret')).toBe('s'.repeat(16));
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('sends GET deliveries without a body', async () => {
    await deliverWebhook(`${server.baseUrl}/cb`, { method: 'GET', headers: {}, query: { key: 'a b' }, rawBody: Buffer.alloc(0) });
    expect(received.at(-1)).toMatchObject({ method: 'GET', path: '/cb', body: '' });
    expect(received.at(-1)?.query.get('key')).toBe('a b');
  });

  it('refuses to send anywhere but the loopback interface', async () => {
    await expect(
      deliverWebhook('https://example.com/hooks', { method: 'GET', headers: {}, query: {}, rawBody: Buffer.alloc(0) }),
    ).rejects.toThrow('only sends to 127.0.0.1');
  });
});
