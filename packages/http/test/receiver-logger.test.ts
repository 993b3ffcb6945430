import { describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { createNodeListener, expressWebhookRouter } from '@tender/http';
import express from 'express';
import { send } from './support/client.js';
import { MemoryLogger } from './support/memory-logger.js';
import { RecordingReceiver } from './support/recording-receiver.js';
import { serversClosedAfterEach } from './support/servers.js';

/** A receiver with a logger of its own, as a payment module is: the handler is given no `logger` option. */
class LoggingReceiver extends RecordingReceiver {
  readonly logger = new MemoryLogger();
}

const { serve } = serversClosedAfterEach();

describe('failures the receiver never sees are logged with its logger', () => {
  it('a body over the limit: 413, logged as a rejection', async () => {
    const receiver = new LoggingReceiver();
    const { baseUrl } = await serve(createNodeListener(receiver, { bodyLimit: 16 }));

    const response = await send(baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'evt_1', padding: 'x'.repeat(64) }),
    });

    expect(response.status).toBe(413);
    expect(receiver.calls).toHaveLength(0);
    expect(receiver.logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'webhook rejected',
        obj: expect.objectContaining({ status: 413, provider: 'stripe_stripe', error_type: 'payload_too_large' }),
      }),
    ]);
  });

  it('a body express.json() consumed first: 500 body_already_consumed, logged as an error', async () => {
    const receiver = new LoggingReceiver();
    const app = express();
    app.use(express.json());
    app.use(expressWebhookRouter(receiver));
    const { baseUrl } = await serve(app);

    const response = await send(baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: '{"id":"evt_1"}',
    });

    expect(response.status).toBe(500);
    const [logged] = receiver.logger.errors();
    expect(logged?.obj).toMatchObject({ status: 500, error_type: 'body_already_consumed' });
  });

  it('a rejection the receiver made itself is left to the receiver to log (never twice)', async () => {
    const receiver = new LoggingReceiver();
    receiver.failWith('stripe_stripe', new TenderError('unauthorized', 'Webhook signature does not match.'));
    const { baseUrl } = await serve(createNodeListener(receiver));

    const response = await send(baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: '{"id":"evt_1"}',
    });

    expect(response.status).toBe(401);
    expect(receiver.logger.entries).toEqual([]);
  });
});
