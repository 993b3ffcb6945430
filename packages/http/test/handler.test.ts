import { describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { createWebhookHandler, type WebhookResult } from '@tender/http';
import { MemoryLogger } from './support/memory-logger.js';
import { RecordingReceiver } from './support/recording-receiver.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('createWebhookHandler called directly', () => {
  it('routes, lower-cases header names and returns a JSON receipt', async () => {
    const receiver = new RecordingReceiver();
    const handle = createWebhookHandler(receiver);

    const response = await handle({
      method: 'post',
      path: '/hooks/payment/stripe_stripe/acme',
      query: { a: '1' },
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': 'sig', 'X-Absent': undefined },
      rawBody: Buffer.from('{}'),
    });

    expect(response).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ received: true, outcome: 'accepted', event_id: 'evt_1' }),
    });
    expect(receiver.calls[0]).toEqual({
      provider: 'stripe_stripe',
      tenant: 'acme',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 'sig' },
      query: { a: '1' },
      rawBody: Buffer.from('{}'),
    });
  });

  it('reads the query from the path when none is given, and keeps it out of logs', async () => {
    const receiver = new RecordingReceiver();
    const logger = new MemoryLogger();
    const handle = createWebhookHandler(receiver, { logger });
    await handle({ method: 'GET', path: '/hooks/payment/ifthenpay_mb?ref=1&ref=2&__proto__=x&chave=SECRETKEY', headers: {} });
    expect(logger.entries[0].obj.path).toBe('/hooks/payment/ifthenpay_mb');
    expect(JSON.stringify(logger.entries)).not.toContain('SECRETKEY');
    const { query } = receiver.calls[0];
    expect(query.ref).toBe('1');
    expect(Object.hasOwn(query, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
  });

  it('refuses a rawBody over the limit even when the caller read it all', async () => {
    const receiver = new RecordingReceiver();
    const handle = createWebhookHandler(receiver, { bodyLimit: 4 });
    const response = await handle({
      method: 'POST',
      path: '/hooks/payment/a_b',
      headers: JSON_HEADERS,
      rawBody: Buffer.from('12345'),
    });
    expect(response.status).toBe(413);
    expect(receiver.calls).toHaveLength(0);
  });

  it('honours a custom content-type list, including "*/*" for anything', async () => {
    const receiver = new RecordingReceiver();
    const xmlOnly = createWebhookHandler(receiver, { contentTypes: ['application/xml'] });
    const anything = createWebhookHandler(receiver, { contentTypes: ['*/*'] });
    const body = Buffer.from('<a/>');

    expect(
      (
        await xmlOnly({
          method: 'POST',
          path: '/hooks/payment/a_b',
          headers: { 'content-type': 'application/xml' },
          rawBody: body,
        })
      ).status,
    ).toBe(200);
    expect((await xmlOnly({ method: 'POST', path: '/hooks/payment/a_b', headers: JSON_HEADERS, rawBody: body })).status).toBe(
      415,
    );
    expect((await anything({ method: 'POST', path: '/hooks/payment/a_b', headers: {}, rawBody: body })).status).toBe(200);
  });

  it('accepts a POST without a body or Content-Type (some providers only send a query)', async () => {
    const receiver = new RecordingReceiver();
    const handle = createWebhookHandler(receiver);
    const response = await handle({ method: 'POST', path: '/hooks/payment/a_b?id=9', headers: {} });
    expect(response.status).toBe(200);
    expect(receiver.calls[0].rawBody.length).toBe(0);
  });

  it('logs successes at info, refusals at warn and failures at error with the real error', async () => {
    const crash = new Error('database password is hunter2');
    const receiver = new RecordingReceiver()
      .failWith('bad_sig', new TenderError('unauthorized', 'Bad signature.'))
      .failWith('crash_x', crash);
    const logger = new MemoryLogger();
    const handle = createWebhookHandler(receiver, { logger });

    await handle({ method: 'POST', path: '/hooks/payment/ok_x', headers: JSON_HEADERS, rawBody: Buffer.from('{}') });
    await handle({ method: 'POST', path: '/hooks/payment/bad_sig', headers: JSON_HEADERS, rawBody: Buffer.from('{}') });
    const failed = await handle({
      method: 'POST',
      path: '/hooks/payment/crash_x',
      headers: JSON_HEADERS,
      rawBody: Buffer.from('{}'),
    });

    expect(logger.entries.map((entry) => [entry.level, entry.obj.status])).toEqual([
      ['info', 200],
      ['warn', 401],
      ['error', 500],
    ]);
    expect(logger.entries[0].obj).toMatchObject({
      provider: 'ok_x',
      outcome: 'accepted',
      event_id: 'evt_1',
      action: 'authorized',
    });
    expect(logger.entries[1].obj).not.toHaveProperty('err');
    expect(logger.entries[1].obj).toMatchObject({ error_type: 'unauthorized', error_message: 'Bad signature.' });
    expect(logger.entries[2].obj.err).toBe(crash);
    expect(failed.body).not.toContain('hunter2');
    for (const entry of logger.entries) {
      expect(JSON.stringify(entry.obj)).not.toContain('content-type');
    }
  });

  it('keeps answering when the onResult hook throws or rejects', async () => {
    const logger = new MemoryLogger();
    const seen: WebhookResult[] = [];
    let calls = 0;
    const handle = createWebhookHandler(new RecordingReceiver(), {
      logger,
      onResult: (result) => {
        seen.push(result);
        calls += 1;
        if (calls === 1) throw new Error('metrics down');
        return Promise.reject(new Error('metrics still down'));
      },
    });

    const first = await handle({ method: 'POST', path: '/hooks/payment/a_b', headers: JSON_HEADERS, rawBody: Buffer.from('{}') });
    const second = await handle({
      method: 'POST',
      path: '/hooks/payment/a_b',
      headers: JSON_HEADERS,
      rawBody: Buffer.from('{}'),
    });
    await new Promise((resolve) => setImmediate(resolve));

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(seen).toHaveLength(2);
    expect(logger.errors().map((entry) => (entry.obj.err as Error).message)).toEqual(['metrics down', 'metrics still down']);
  });

  it('measures latency from the adapter-supplied start', async () => {
    const seen: WebhookResult[] = [];
    const handle = createWebhookHandler(new RecordingReceiver(), { onResult: (result) => void seen.push(result) });
    await handle({
      method: 'GET',
      path: '/hooks/payment/a_b',
      headers: {},
      startedAt: performance.now() - 250,
    });
    expect(seen[0].latency_ms).toBeGreaterThanOrEqual(250);
  });

  it('exposes the pre-read verdict adapters use', () => {
    const handle = createWebhookHandler(new RecordingReceiver(), { prefix: '/wh', bodyLimit: 100 });
    expect(handle.prefix).toBe('/wh');
    expect(handle.inspect({ method: 'GET', path: '/elsewhere', headers: {} })).toEqual({ kind: 'outside' });
    expect(handle.inspect({ method: 'POST', path: '/wh/a_b', headers: JSON_HEADERS })).toEqual({
      kind: 'read-body',
      bodyLimit: 100,
      route: { kind: 'webhook', provider: 'a_b', tenant: undefined },
      headers: JSON_HEADERS,
    });
    const tooBig = handle.inspect({ method: 'POST', path: '/wh/a_b', headers: { ...JSON_HEADERS, 'content-length': '101' } });
    expect(tooBig.kind === 'reject' && tooBig.error.status).toBe(413);
    const noType = handle.inspect({ method: 'POST', path: '/wh/a_b', headers: { 'transfer-encoding': 'chunked' } });
    expect(noType.kind === 'reject' && noType.error.status).toBe(415);
  });

  it('takes an admitted head with its body: the receiver gets what the checks found, the body is still checked', async () => {
    const receiver = new RecordingReceiver();
    const handle = createWebhookHandler(receiver, { prefix: '/wh', bodyLimit: 4 });
    const head = { method: 'post', path: '/wh/a_b/acme', query: {}, headers: { 'Content-Type': 'application/json' } };
    const admitted = handle.inspect(head);
    if (admitted.kind !== 'read-body') throw new Error(`expected the head to be admitted, got ${admitted.kind}`);

    expect((await handle.receive(admitted, { ...head, rawBody: Buffer.from('{}') })).status).toBe(200);
    expect(receiver.calls).toEqual([
      {
        provider: 'a_b',
        tenant: 'acme',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        query: {},
        rawBody: Buffer.from('{}'),
      },
    ]);
    // A body over the limit that the head did not declare is refused before the receiver sees it.
    expect((await handle.receive(admitted, { ...head, rawBody: Buffer.from('{"a":1}') })).status).toBe(413);
    expect(receiver.calls).toHaveLength(1);
  });

  it('rejects nonsense options early', () => {
    const receiver = new RecordingReceiver();
    expect(() => createWebhookHandler(receiver, { bodyLimit: -1 })).toThrow(/bodyLimit/);
    expect(() => createWebhookHandler(receiver, { bodyLimit: 1.5 })).toThrow(/bodyLimit/);
    expect(() => createWebhookHandler(receiver, { contentTypes: [] })).toThrow(/contentTypes/);
  });
});
