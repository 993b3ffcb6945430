import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import {
  createNodeListener,
  createNodeServer,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  expressWebhookRouter,
  resolveOptions,
} from '@tender/http';
import express from 'express';
import { RecordingReceiver } from './support/recording-receiver.js';
import { serversClosedAfterEach } from './support/servers.js';

const { serve, closeAfterEach } = serversClosedAfterEach();

interface Trickle {
  /** Everything the server sent back, once it closed the connection (or the test gave up). */
  reply: Promise<{ text: string; afterMs: number }>;
  /** Bytes of `rest` the client managed to send before the server answered. */
  sent(): number;
}

/**
 * A raw TCP client that sends `head` at once, then one byte of `rest` every `everyMs`: a slow-loris
 * client, which no HTTP library would produce.
 */
function trickle(port: number, head: string, rest: string, everyMs = 2000): Trickle {
  const socket = net.connect(port, '127.0.0.1');
  const startedAt = performance.now();
  let sent = 0;
  let text = '';
  const timer = setInterval(() => {
    if (sent < rest.length && socket.writable) socket.write(rest[sent++]!);
  }, everyMs);
  socket.write(head);
  const reply = new Promise<{ text: string; afterMs: number }>((resolve) => {
    let firstReplyAt: number | undefined;
    const finish = () => {
      clearInterval(timer);
      resolve({ text, afterMs: (firstReplyAt ?? performance.now()) - startedAt });
    };
    socket.on('data', (chunk: Buffer) => {
      firstReplyAt ??= performance.now();
      text += chunk.toString('latin1');
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    // Without a timeout the socket would stay open for good: give up well after every bound tested here.
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
  closeAfterEach(async () => {
    clearInterval(timer);
    socket.destroy();
  });
  return { reply, sent: () => sent };
}

const BODY = '{"id":"evt_slow","type":"payment.captured"}';
const bodyHead = (path: string) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`;

describe('a slow body (1 byte every 2 s) is cut with 408', () => {
  it('by the node:http listener after bodyTimeoutMs, before the receiver sees anything', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(http.createServer(createNodeListener(receiver, { bodyTimeoutMs: 1500 })));
    const client = trickle(port, bodyHead('/hooks/payment/system_default'), BODY);
    const { text, afterMs } = await client.reply;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('"type":"request_timeout"');
    expect(afterMs).toBeGreaterThanOrEqual(1400);
    expect(afterMs).toBeLessThan(4000);
    expect(client.sent()).toBeLessThan(BODY.length);
    expect(receiver.calls).toHaveLength(0);
  }, 20_000);

  it('by the Express router too', async () => {
    const receiver = new RecordingReceiver();
    const app = express();
    app.use(expressWebhookRouter(receiver, { bodyTimeoutMs: 1500 }));
    const { port } = await serve(http.createServer(app));
    const { text } = await trickle(port, bodyHead('/hooks/payment/system_default'), BODY).reply;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(receiver.calls).toHaveLength(0);
  }, 20_000);

  it('while a body that arrives in time is served as before', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(http.createServer(createNodeListener(receiver, { bodyTimeoutMs: 1500 })));
    const response = await fetch(`http://127.0.0.1:${port}/hooks/payment/system_default`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    expect(response.status).toBe(200);
    expect(receiver.calls.map((call) => call.rawBody.toString())).toEqual([BODY]);
  });
});

describe('slow headers are cut by createNodeServer', () => {
  it('answers 408 when the headers are still incomplete after headersTimeoutMs', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createNodeServer(receiver, { headersTimeoutMs: 1500 }));
    const client = trickle(port, 'POST /hooks/payment/system_default HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: '.repeat(20));
    const { text, afterMs } = await client.reply;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeLessThan(5000);
    expect(receiver.calls).toHaveLength(0);
  }, 20_000);

  it('also applies the body timeout to the requests it serves', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createNodeServer(receiver, { bodyTimeoutMs: 1500 }));
    const { text } = await trickle(port, bodyHead('/hooks/payment/system_default'), BODY).reply;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(receiver.calls).toHaveLength(0);
  }, 20_000);
});

describe('timeout options', () => {
  it('default to 10 s each, and refuse anything but a positive whole number of milliseconds', () => {
    expect(DEFAULT_BODY_TIMEOUT_MS).toBe(10_000);
    expect(DEFAULT_HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(resolveOptions({}).bodyTimeoutMs).toBe(10_000);
    for (const bad of [0, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => resolveOptions({ bodyTimeoutMs: bad })).toThrow(/bodyTimeoutMs: must be a positive integer/);
      expect(() => createNodeServer(new RecordingReceiver(), { headersTimeoutMs: bad })).toThrow(/headersTimeoutMs/);
    }
  });
});
