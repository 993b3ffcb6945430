import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import type { WebhookResult } from '@tender/http';
import { flood, send } from './support/client.js';
import { MemoryLogger } from './support/memory-logger.js';
import { RecordingReceiver } from './support/recording-receiver.js';
import { ADAPTERS, HOST_ECHO_PATH, type RunningServer } from './support/servers.js';

const LIMIT = 64 * 1024;

/** Bytes a re-serializing parser would change: BOM, odd whitespace, escaped and raw unicode, key order. */
const TRICKY_JSON = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from('{\r\n\t"id" :  "evt_1",\u00a0"z":1, "a":"caf\u00e9 \\u00e9 😀 \u2028",\n  "amount": 10.50 ,"n":1e2 }\n\n', 'utf8'),
]);

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe.each(ADAPTERS)('$name adapter', ({ start }) => {
  const receiver = new RecordingReceiver();
  const logger = new MemoryLogger();
  const results: WebhookResult[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    receiver
      .failWith('fail_unauthorized', new TenderError('unauthorized', 'Webhook signature does not match.'))
      .failWith('fail_invalid', new TenderError('invalid_data', 'Webhook body is not valid JSON.'))
      .failWith('fail_notfound', new TenderError('not_found', 'Unknown payment provider pp_fail_notfound.'))
      .failWith('fail_unavailable', new TenderError('unavailable', 'Webhook inbox is unavailable.'))
      .failWith('fail_conflict', new TenderError('conflict', 'Event is being processed.'))
      .failWith('fail_crash', new Error('boom: secret sk_live_SECRET123 in message\n    at Object.<anonymous> (/srv/app.js:1:1)'))
      // What the payment module throws for a lost database (its driver's error is the cause).
      .failWith(
        'fail_pgdown',
        new TenderError('unavailable', 'The payment database is unavailable; retry later.', {
          cause: pgError('57P01', 'terminating connection due to administrator command'),
        }),
      )
      .failWith(
        'fail_pgrefused',
        new TenderError('unavailable', 'The payment database is unavailable; retry later.', {
          cause: Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }),
        }),
      )
      .on('duplicate_provider', async () => ({
        outcome: 'duplicate',
        webhook_event_id: 'whe_d',
        event_id: 'evt_dup',
        action: 'captured',
      }));
    server = await start(receiver, { bodyLimit: LIMIT, logger, onResult: (result) => void results.push(result) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    receiver.reset();
    logger.entries.length = 0;
    results.length = 0;
  });

  describe('delivery', () => {
    it('hands the receiver the exact raw bytes, lower-cased headers and the provider segment', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': 't=1,v1=abc' },
        body: TRICKY_JSON,
      });

      expect(response.status).toBe(200);
      expect(response.json).toEqual({ received: true, outcome: 'accepted', event_id: 'evt_1' });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(receiver.calls).toHaveLength(1);
      const [call] = receiver.calls;
      expect(call.rawBody.equals(TRICKY_JSON)).toBe(true);
      expect(call.provider).toBe('stripe_stripe');
      expect(call.tenant).toBeUndefined();
      expect(call.method).toBe('POST');
      expect(call.headers['stripe-signature']).toBe('t=1,v1=abc');
      expect(call.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('keeps a form-encoded body byte for byte', async () => {
      const body = Buffer.from('a=1&b=%C3%A9+x&a=2&empty=&sig=AbC%2F%2B%3D', 'latin1');
      const response = await send(server.baseUrl, '/hooks/payment/easypay_default', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(response.status).toBe(200);
      expect(receiver.calls[0].rawBody.equals(body)).toBe(true);
    });

    it('passes a GET callback with its query string and an empty body; "_" is the default tenant', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/ifthenpay_mb/_?key=a%20b&amount=10.50&ref=1+2&key=second', {
        method: 'GET',
      });
      expect(response.status).toBe(200);
      const [call] = receiver.calls;
      expect(call.method).toBe('GET');
      expect(call.query).toEqual({ key: 'a b', amount: '10.50', ref: '1 2' });
      expect(call.rawBody.length).toBe(0);
      expect(call.provider).toBe('ifthenpay_mb');
      expect(call.tenant).toBeUndefined();
    });

    it('passes the tenant segment', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe/acme-eu_2/', {
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(receiver.calls[0].tenant).toBe('acme-eu_2');
    });

    it('answers a duplicate with 200 and its outcome', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/duplicate_provider', {
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ received: true, outcome: 'duplicate', event_id: 'evt_dup' });
    });

    it('accepts a body of exactly the limit', async () => {
      const body = Buffer.alloc(LIMIT, 'x');
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
        headers: { 'content-type': 'text/plain' },
        body,
      });
      expect(response.status).toBe(200);
      expect(receiver.calls[0].rawBody.equals(body)).toBe(true);
    });

    it('reports each result with its latency', async () => {
      await send(server.baseUrl, '/hooks/payment/stripe_stripe/t1', {
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        status: 200,
        method: 'POST',
        provider: 'stripe_stripe',
        tenant: 't1',
        outcome: 'accepted',
      });
      expect(results[0].latency_ms).toBeGreaterThanOrEqual(0);
    });
  });

  describe('refusals made without calling the receiver', () => {
    it.each([
      '/hooks/payment/stripe',
      '/hooks/payment/',
      '/hooks/payment',
      '/hooks/payment/_stripe',
      '/hooks/payment/stripe_stripe/acme/extra',
      '/hooks/payment/stripe_stripe/bad%20tenant',
      '/hooks/payment/stripe%5Fstripe',
      `/hooks/payment/stripe_stripe/${'t'.repeat(65)}`,
      '/hooks/payment/stripe.stripe',
    ])('404 for %s', async (path) => {
      const response = await send(server.baseUrl, path, { headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
      if (response.json !== undefined && path.startsWith('/hooks/payment/')) {
        expect(response.json.error.type).toBe('not_found');
      }
      expect(receiver.calls).toHaveLength(0);
    });

    it.each(['PUT', 'DELETE', 'PATCH'])('405 with Allow for %s', async (method) => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, POST');
      expect(response.json.error.type).toBe('method_not_allowed');
      expect(receiver.calls).toHaveLength(0);
    });

    it('413 for a body one byte over the limit', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
        headers: { 'content-type': 'text/plain' },
        body: Buffer.alloc(LIMIT + 1, 'x'),
      });
      expect(response.status).toBe(413);
      expect(response.json.error).toEqual({
        type: 'payload_too_large',
        message: `Request body exceeds the limit of ${LIMIT} bytes.`,
      });
      expect(receiver.calls).toHaveLength(0);
    });

    it('413 for an endless chunked body, answered while the client is still sending', async () => {
      const result = await flood(server.baseUrl, '/hooks/payment/stripe_stripe');
      expect(result.status).toBe(413);
      expect(JSON.parse(result.text).error.type).toBe('payload_too_large');
      // The server stopped reading at the limit: only socket buffers' worth got past it.
      expect(result.written).toBeLessThan(16 * 1024 * 1024);
      expect(receiver.calls).toHaveLength(0);
    });

    it('413 from the declared Content-Length, before the body is sent', async () => {
      const result = await flood(server.baseUrl, '/hooks/payment/stripe_stripe', { declaredLength: 512 * 1024 * 1024 });
      expect(result.status).toBe(413);
      expect(result.written).toBeLessThan(16 * 1024 * 1024);
      expect(receiver.calls).toHaveLength(0);
    });

    it.each([
      ['multipart/form-data; boundary=x', '--x--'],
      ['application/octet-stream', 'raw'],
      ['image/png', 'png'],
      ['not a media type', '{}'],
    ])('415 for Content-Type %s', async (contentType, body) => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
        headers: { 'content-type': contentType },
        body,
      });
      expect(response.status).toBe(415);
      expect(response.json.error.type).toBe('unsupported_media_type');
      expect(response.json.error.message).toContain('application/json');
      expect(receiver.calls).toHaveLength(0);
    });

    it('415 for a POST body without a Content-Type', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', { body: '{"id":"evt"}' });
      expect(response.status).toBe(415);
      expect(response.json.error.message).toMatch(/Content-Type none/);
      expect(receiver.calls).toHaveLength(0);
    });

    it('accepts structured JSON types such as application/cloudevents+json', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
        headers: { 'content-type': 'application/cloudevents+json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
    });
  });

  describe('receiver errors', () => {
    it.each([
      ['fail_unauthorized', 401, 'unauthorized', 'Webhook signature does not match.'],
      ['fail_invalid', 400, 'invalid_data', 'Webhook body is not valid JSON.'],
      ['fail_notfound', 404, 'not_found', 'Unknown payment provider pp_fail_notfound.'],
      ['fail_conflict', 409, 'conflict', 'Event is being processed.'],
      ['fail_unavailable', 503, 'unavailable', 'Webhook inbox is unavailable.'],
    ])('%s → %i', async (provider, status, type, message) => {
      const response = await send(server.baseUrl, `/hooks/payment/${provider}`, {
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(status);
      expect(response.json).toEqual({ error: { type, message } });
      expect(receiver.calls).toHaveLength(1);
    });

    it('500 says only "internal error" and logs the real error', async () => {
      const response = await send(server.baseUrl, '/hooks/payment/fail_crash', {
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(500);
      expect(response.json).toEqual({ error: { type: 'internal_error', message: 'internal error' } });
      expect(response.text).not.toContain('sk_live');
      expect(response.text).not.toContain('app.js');
      const [logged] = logger.errors();
      expect((logged.obj.err as Error).message).toContain('boom');
      expect(logged.obj).toMatchObject({ status: 500, provider: 'fail_crash' });
    });

    it.each(['fail_pgdown', 'fail_pgrefused'])(
      "the receiver's unavailable error for a lost database (%s) → 503 so the provider retries",
      async (provider) => {
        const response = await send(server.baseUrl, `/hooks/payment/${provider}`, {
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(503);
        expect(response.json.error.type).toBe('unavailable');
        expect(response.text).not.toContain('10.1.2.3');
        expect(response.text).not.toContain('connection failure');
        expect(logger.errors()).toHaveLength(1);
      },
    );
  });
});

describe.each(ADAPTERS.filter((adapter) => adapter.hostRoutes))('$name adapter in a host app', ({ start }) => {
  const receiver = new RecordingReceiver();
  let server: RunningServer;
  beforeAll(async () => {
    server = await start(receiver, {});
  });
  afterAll(() => server.close());

  it('leaves the host its own routes and JSON parsing', async () => {
    const response = await send(server.baseUrl, HOST_ECHO_PATH, {
      headers: { 'content-type': 'application/json' },
      body: '{"x":[1,2]}',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ host: true, parsed: { x: [1, 2] } });
    expect(receiver.calls).toHaveLength(0);
  });

  it('serves the webhook routes with the default prefix and limit', async () => {
    const body = Buffer.alloc(1024 * 1024, ' ');
    const response = await send(server.baseUrl, '/hooks/payment/system_default', {
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(response.status).toBe(200);
    expect(receiver.calls[0].rawBody.equals(body)).toBe(true);
    const over = await send(server.baseUrl, '/hooks/payment/system_default', {
      headers: { 'content-type': 'text/plain' },
      body: Buffer.alloc(1024 * 1024 + 1, ' '),
    });
    expect(over.status).toBe(413);
  });
});
