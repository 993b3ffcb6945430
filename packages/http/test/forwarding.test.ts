import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { thrown } from '@tender/core/testing';
import {
  createForwardedWebhookHandler,
  createForwardedWebhookListener,
  createForwardingReceiver,
  FORWARD_SECRET_HEADER,
} from '@tender/http';
import { RecordingReceiver } from './support/recording-receiver.js';
import { serversClosedAfterEach } from './support/servers.js';

const SECRET = 'edge-to-central-forwarding-secret';
const ROUTE = '/v1/webhooks/payments/system_default';
const { serve } = serversClosedAfterEach();

/**
 * Sends only the request line and headers of a POST declaring `length` body bytes, and never the body:
 * an endpoint that reads the body before judging the headers would never answer.
 */
function headersOnly(port: number, headers: Record<string, string>, length = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const lines = Object.entries({
      host: '127.0.0.1',
      'content-type': 'application/json',
      'content-length': String(length),
      ...headers,
    });
    socket.write(`POST ${ROUTE} HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n') && text.includes('}')) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, 3000);
    socket.on('close', () => clearTimeout(timer));
  });
}

describe('forwarding endpoint: the shared secret is judged from the headers, before any body is read', () => {
  it('answers a wrong or missing secret with 401 at once, without waiting for (or reading) the body', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createForwardedWebhookListener(receiver, { secret: SECRET }));
    const attempts: Record<string, string>[] = [{ [FORWARD_SECRET_HEADER]: 'not-the-forwarding-secret' }, {}];
    for (const headers of attempts) {
      const reply = await headersOnly(port, headers);
      expect(reply).toMatch(/^HTTP\/1\.1 401 /);
      expect(reply).toMatch(/connection: close/i);
      expect(reply).toContain('"type":"unauthorized"');
    }
    expect(receiver.calls).toHaveLength(0);
  });

  it('refuses a declared body over the limit from its Content-Length, even with the right secret', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createForwardedWebhookListener(receiver, { secret: SECRET, bodyLimit: 100 }));
    expect(await headersOnly(port, { [FORWARD_SECRET_HEADER]: SECRET }, 101)).toMatch(/^HTTP\/1\.1 413 /);
    expect(receiver.calls).toHaveLength(0);
  });

  it('reads the body of an authenticated request and hands it over unchanged', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createForwardedWebhookListener(receiver, { secret: SECRET }));
    const body = '{ "id":"evt_1" ,"note":"façade" }';
    const response = await fetch(`http://127.0.0.1:${port}${ROUTE}?org=acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [FORWARD_SECRET_HEADER]: SECRET, 'x-tender-signature': 't=1,v1=ab' },
      body,
    });
    expect(response.status).toBe(200);
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]).toMatchObject({ provider: 'system_default', tenant: 'acme' });
    expect(receiver.calls[0]!.rawBody.toString()).toBe(body);
    expect(receiver.calls[0]!.headers[FORWARD_SECRET_HEADER]).toBeUndefined();
  });

  it('cuts an authenticated but trickling body with 408 after bodyTimeoutMs', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createForwardedWebhookListener(receiver, { secret: SECRET, bodyTimeoutMs: 500 }));
    const reply = await headersOnly(port, { [FORWARD_SECRET_HEADER]: SECRET }, 10);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(receiver.calls).toHaveLength(0);
  });

  it('the framework-agnostic handler refuses a wrong secret too', async () => {
    const receiver = new RecordingReceiver();
    const handle = createForwardedWebhookHandler(receiver, { secret: SECRET });
    const response = await handle({
      method: 'POST',
      path: ROUTE,
      query: {},
      headers: { [FORWARD_SECRET_HEADER]: `${SECRET}x` },
      rawBody: Buffer.from('{}'),
    });
    expect(response.status).toBe(401);
    expect(receiver.calls).toHaveLength(0);
  });
});

describe('forwarding options are validated with the 16-byte secret floor', () => {
  it.each([
    ['an empty secret', { secret: '' }, /secret: the secret is 0 bytes, fewer than the 16 .*openssl rand -hex 32/],
    ['a 15-character secret', { secret: 'fifteen-chars!!' }, /secret: the secret is 15 bytes/],
    ['a repeated-character secret', { secret: 'x'.repeat(32) }, /secret: the secret is one byte repeated/],
    ['no secret', {}, /secret: secret is required/],
    ['a negative body limit', { secret: SECRET, bodyLimit: -1 }, /bodyLimit/],
  ])('the endpoint refuses %s', (_label, options, message) => {
    const error = thrown(() => createForwardedWebhookListener(new RecordingReceiver(), options as { secret: string }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/^Invalid forwarding endpoint options: /);
    expect(error.message).toMatch(message);
    expect(() => createForwardedWebhookHandler(new RecordingReceiver(), options as { secret: string })).toThrow(TenderError);
  });

  it('the edge refuses the same secrets, and a target that is not an http(s) URL', () => {
    expect(thrown(() => createForwardingReceiver({ target: 'http://central.example/v1', secret: '' })).message).toMatch(
      /^Invalid forwarding options: secret: the secret is 0 bytes/,
    );
    expect(thrown(() => createForwardingReceiver({ target: 'ftp://central.example', secret: SECRET })).message).toMatch(
      /target must be the http\(s\) URL/,
    );
    expect(() => createForwardingReceiver({ target: 'http://central.example/v1', secret: SECRET })).not.toThrow();
  });
});
