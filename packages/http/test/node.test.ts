import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { createNodeListener, type WebhookResult } from '@tender/http';
import { send } from './support/client.js';
import { RecordingReceiver } from './support/recording-receiver.js';
import { serversClosedAfterEach, startNodeMiddlewareServer } from './support/servers.js';

const { serve, closeAfterEach } = serversClosedAfterEach();

/** Two requests through one keep-alive agent, reporting which socket each used. */
async function twoRequestsOnOneAgent(port: number, bodies: [Buffer, Buffer]): Promise<{ status: number; socket: net.Socket }[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const results: { status: number; socket: net.Socket }[] = [];
    for (const body of bodies) {
      results.push(
        await new Promise((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/hooks/payment/stripe_stripe',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket as net.Socket }));
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
      );
    }
    return results;
  } finally {
    agent.destroy();
  }
}

describe('createNodeListener', () => {
  it('answers paths outside the prefix with a JSON 404', async () => {
    const receiver = new RecordingReceiver();
    const { baseUrl } = await serve(createNodeListener(receiver));
    const response = await send(baseUrl, '/elsewhere', { method: 'GET' });
    expect(response.status).toBe(404);
    expect(response.json.error.type).toBe('not_found');
  });

  it('keeps a healthy connection alive across webhooks', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createNodeListener(receiver));
    const [first, second] = await twoRequestsOnOneAgent(port, [Buffer.from('{"n":1}'), Buffer.from('{"n":2}')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.socket).toBe(first.socket);
    expect(receiver.calls.map((call) => call.rawBody.toString())).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('closes the connection after refusing an oversized body, so the next request starts clean', async () => {
    const receiver = new RecordingReceiver();
    const { port } = await serve(createNodeListener(receiver, { bodyLimit: 10 }));
    const [refused, next] = await twoRequestsOnOneAgent(port, [Buffer.from('{"too":"large"}'), Buffer.from('{"ok":1}')]);
    expect([refused.status, next.status]).toEqual([413, 200]);
    expect(next.socket).not.toBe(refused.socket);
    expect(receiver.calls.map((call) => call.rawBody.toString())).toEqual(['{"ok":1}']);
  });

  it('reports a body cut off by the client as a 400 and never calls the receiver', async () => {
    const receiver = new RecordingReceiver();
    let reported: (result: WebhookResult) => void = () => undefined;
    const result = new Promise<WebhookResult>((resolve) => {
      reported = resolve;
    });
    const { port } = await serve(createNodeListener(receiver, { onResult: (r) => reported(r) }));

    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST /hooks/payment/stripe_stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"partial":',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();

    expect(await result).toMatchObject({ status: 400, error_type: 'invalid_data', provider: 'stripe_stripe' });
    expect(receiver.calls).toHaveLength(0);
  });
});

describe('nodeMiddleware', () => {
  it('calls next() for paths outside the prefix and answers inside it', async () => {
    const receiver = new RecordingReceiver();
    const server = await startNodeMiddlewareServer(receiver, { prefix: '/tender' });
    closeAfterEach(() => server.close());

    const outside = await send(server.baseUrl, '/hooks/payment/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const inside = await send(server.baseUrl, '/tender/stripe_stripe', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const invalidInside = await send(server.baseUrl, '/tender/not-a-provider', { method: 'GET' });

    expect(outside.json).toEqual({ host: true, parsed: {} });
    expect(inside.json).toMatchObject({ received: true });
    expect(invalidInside.status).toBe(404);
    expect(invalidInside.json.error.type).toBe('not_found');
    expect(receiver.calls).toHaveLength(1);
  });
});
