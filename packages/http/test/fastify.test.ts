import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fastifyWebhookPlugin } from '@tender/http';
import Fastify, { type FastifyInstance } from 'fastify';
import { send } from './support/client.js';
import { RecordingReceiver } from './support/recording-receiver.js';

const apps: FastifyInstance[] = [];

async function listen(app: FastifyInstance): Promise<string> {
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('fastifyWebhookPlugin', () => {
  it("uses register's prefix in place of the default", async () => {
    const receiver = new RecordingReceiver();
    const app = Fastify();
    await app.register(fastifyWebhookPlugin, { receiver, prefix: '/webhooks' });
    const baseUrl = await listen(app);

    const hit = await send(baseUrl, '/webhooks/stripe_stripe/_', { headers: JSON_HEADERS, body: '{"a" : 1}' });
    const old = await send(baseUrl, '/hooks/payment/stripe_stripe', { headers: JSON_HEADERS, body: '{}' });

    expect(hit.status).toBe(200);
    expect(receiver.calls[0].rawBody.toString()).toBe('{"a" : 1}');
    expect(old.status).toBe(404);
    expect(receiver.calls).toHaveLength(1);
  });

  it('keeps the default prefix under an enclosing prefixed plugin', async () => {
    const receiver = new RecordingReceiver();
    const app = Fastify();
    await app.register(
      async (api) => {
        await api.register(fastifyWebhookPlugin, { receiver });
      },
      { prefix: '/api' },
    );
    const baseUrl = await listen(app);

    const response = await send(baseUrl, '/api/hooks/payment/stripe_stripe', { headers: JSON_HEADERS, body: '{}' });

    expect(response.status).toBe(200);
    expect(receiver.calls[0].provider).toBe('stripe_stripe');
  });

  it("does not replace the host's body parsers outside the plugin", async () => {
    const receiver = new RecordingReceiver();
    const app = Fastify();
    app.addContentTypeParser('application/x-custom', { parseAs: 'string' }, (_request, body, done) => {
      done(null, { custom: String(body).toUpperCase() });
    });
    await app.register(fastifyWebhookPlugin, { receiver });
    app.post('/host', async (request) => ({ body: request.body }));
    const baseUrl = await listen(app);

    const json = await send(baseUrl, '/host', { headers: JSON_HEADERS, body: '{"x":1}' });
    const custom = await send(baseUrl, '/host', { headers: { 'content-type': 'application/x-custom' }, body: 'abc' });

    expect(json.json).toEqual({ body: { x: 1 } });
    expect(custom.json).toEqual({ body: { custom: 'ABC' } });
  });

  it('answers HEAD and OPTIONS with 405 rather than Fastify defaults', async () => {
    const receiver = new RecordingReceiver();
    const app = Fastify();
    await app.register(fastifyWebhookPlugin, { receiver });
    const baseUrl = await listen(app);

    const options = await send(baseUrl, '/hooks/payment/stripe_stripe', { method: 'OPTIONS' });
    const head = await send(baseUrl, '/hooks/payment/stripe_stripe', { method: 'HEAD' });

    expect(options.status).toBe(405);
    expect(options.headers.allow).toBe('GET, POST');
    expect(head.status).toBe(405);
    expect(receiver.calls).toHaveLength(0);
  });
});
