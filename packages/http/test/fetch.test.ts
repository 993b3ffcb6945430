import { describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { createFetchHandler } from '@tender/http';
import { RecordingReceiver } from './support/recording-receiver.js';

const ORIGIN = 'http://127.0.0.1:3000';

/** A body that never ends and counts how much of it was pulled. */
function endlessBody(chunkSize: number): { stream: ReadableStream<Uint8Array>; pulled: () => number; canceled: () => boolean } {
  let pulled = 0;
  let canceled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled += chunkSize;
        controller.enqueue(new Uint8Array(chunkSize).fill(0x20));
      },
      cancel() {
        canceled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, canceled: () => canceled };
}

function post(
  path: string,
  body: NonNullable<RequestInit['body']> | ReadableStream<Uint8Array>,
  contentType = 'application/json',
): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('createFetchHandler with Request objects', () => {
  it('passes the exact bytes of a streamed body and returns a JSON Response', async () => {
    const receiver = new RecordingReceiver();
    const handle = createFetchHandler(receiver);
    const bytes = Buffer.from('\ufeff{ "a":"ü" ,\t"b" : [ ] }\r\n', 'utf8');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // Split inside the multi-byte "ü" so a decoding reader would be caught.
        controller.enqueue(new Uint8Array(bytes.subarray(0, 10)));
        controller.enqueue(new Uint8Array(bytes.subarray(10)));
        controller.close();
      },
    });

    const response = await handle(post('/hooks/payment/stripe_stripe/tenant-9', stream));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ received: true, outcome: 'accepted', event_id: 'evt_1' });
    expect(receiver.calls[0].rawBody.equals(bytes)).toBe(true);
    expect(receiver.calls[0].tenant).toBe('tenant-9');
  });

  it('stops pulling an endless body at the limit and cancels it', async () => {
    const receiver = new RecordingReceiver();
    const limit = 64 * 1024;
    const handle = createFetchHandler(receiver, { bodyLimit: limit });
    const body = endlessBody(4096);

    const response = await handle(post('/hooks/payment/stripe_stripe', body.stream));

    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(limit + 4 * 4096);
    expect(body.canceled()).toBe(true);
    expect(receiver.calls).toHaveLength(0);
  });

  it('cancels the body of a request it refuses before reading', async () => {
    const handle = createFetchHandler(new RecordingReceiver());
    const body = endlessBody(1024);
    const response = await handle(post('/hooks/payment/not-a-provider', body.stream));
    expect(response.status).toBe(404);
    expect(body.canceled()).toBe(true);
  });

  it('explains a body that was already read', async () => {
    const receiver = new RecordingReceiver();
    const handle = createFetchHandler(receiver);
    const request = post('/hooks/payment/stripe_stripe', '{"id":1}');
    await request.text();

    const response = await handle(request);

    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { type: string; message: string } };
    expect(error.type).toBe('body_already_consumed');
    expect(error.message).toContain('request.clone()');
    expect(receiver.calls).toHaveLength(0);
  });

  it('serves a GET callback from the URL query', async () => {
    const receiver = new RecordingReceiver();
    const handle = createFetchHandler(receiver, { prefix: '/api/payments/webhooks' });
    const response = await handle(new Request(`${ORIGIN}/api/payments/webhooks/ifthenpay_mb/_?chave=k&valor=12.30`));
    expect(response.status).toBe(200);
    expect(receiver.calls[0]).toMatchObject({ method: 'GET', provider: 'ifthenpay_mb', query: { chave: 'k', valor: '12.30' } });
  });

  it('maps a receiver error to its status with a safe message', async () => {
    const receiver = new RecordingReceiver().failWith('stripe_stripe', new TenderError('unauthorized', 'Bad signature.'));
    const handle = createFetchHandler(receiver);
    const response = await handle(post('/hooks/payment/stripe_stripe', '{}'));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { type: 'unauthorized', message: 'Bad signature.' } });
  });
});
