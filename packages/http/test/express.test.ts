import { describe, expect, it } from '@jest/globals';
import { expressWebhookRouter } from '@tender/http';
import express from 'express';
import { send } from './support/client.js';
import { MemoryLogger } from './support/memory-logger.js';
import { RecordingReceiver } from './support/recording-receiver.js';
import { serversClosedAfterEach } from './support/servers.js';

const { serve } = serversClosedAfterEach();

const SIGNED = Buffer.from('{ "id":"evt_1",  "amount":"10.50" }\n', 'utf8');

describe('expressWebhookRouter', () => {
  it('answers 500 with a fix-the-mount message when express.json() already parsed the body, and logs it', async () => {
    const receiver = new RecordingReceiver();
    const logger = new MemoryLogger();
    const app = express();
    app.use(express.json());
    app.use(expressWebhookRouter(receiver, { logger }));
    const { baseUrl } = await serve(app);

    const response = await send(baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: SIGNED,
    });

    expect(response.status).toBe(500);
    expect(response.json.error.type).toBe('body_already_consumed');
    expect(response.json.error.message).toContain('before express.json()');
    expect(response.json.error.message).toContain("express.raw({ type: '*/*' })");
    expect(receiver.calls).toHaveLength(0);
    const [logged] = logger.errors();
    expect(logged.obj).toMatchObject({ status: 500, provider: 'stripe_stripe', error_type: 'body_already_consumed' });
    expect((logged.obj.err as Error).message).toContain('express.json()');
  });

  it('also refuses a form body that express.urlencoded() parsed first', async () => {
    const receiver = new RecordingReceiver();
    const app = express();
    app.use(express.urlencoded());
    app.use(expressWebhookRouter(receiver));
    const { baseUrl } = await serve(app);

    const response = await send(baseUrl, '/hooks/payment/easypay_default', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
    });

    expect(response.status).toBe(500);
    expect(response.json.error.type).toBe('body_already_consumed');
    expect(receiver.calls).toHaveLength(0);
  });

  it('still serves a GET callback after express.json() (no body to lose)', async () => {
    const receiver = new RecordingReceiver();
    const app = express();
    app.use(express.json());
    app.use(expressWebhookRouter(receiver));
    const { baseUrl } = await serve(app);

    const response = await send(baseUrl, '/hooks/payment/ifthenpay_mb?ref=123', { method: 'GET' });

    expect(response.status).toBe(200);
    expect(receiver.calls[0].query).toEqual({ ref: '123' });
  });

  it("takes the exact bytes from express.raw({ type: '*/*' }) mounted on the webhook path", async () => {
    const receiver = new RecordingReceiver();
    const app = express();
    app.use('/hooks/payment', express.raw({ type: '*/*' }));
    app.use(express.json());
    app.use(expressWebhookRouter(receiver));
    const { baseUrl } = await serve(app);

    const response = await send(baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: SIGNED,
    });

    expect(response.status).toBe(200);
    expect(receiver.calls[0].rawBody.equals(SIGNED)).toBe(true);
  });

  it('matches paths relative to its mount point, like an Express Router', async () => {
    const receiver = new RecordingReceiver();
    const app = express();
    app.use('/api', expressWebhookRouter(receiver, { prefix: '/webhooks/' }));
    app.use((_req, res) => {
      res.status(404).json({ host404: true });
    });
    const { baseUrl } = await serve(app);

    const mounted = await send(baseUrl, '/api/webhooks/stripe_stripe/acme', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const unmounted = await send(baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect(mounted.status).toBe(200);
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0].tenant).toBe('acme');
    expect(unmounted.status).toBe(404);
    expect(unmounted.json).toEqual({ host404: true });
  });
});
