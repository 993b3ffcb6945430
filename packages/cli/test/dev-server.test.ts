import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createDevServer, DEV_SERVER_TIMEOUTS } from '../src/dev/dev-server.js';

const servers: ReturnType<typeof createDevServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Sends the head of a POST, then one byte of its body every `everyMs`; resolves when the server cuts it. */
function trickle(port: number, everyMs: number): Promise<{ closedAfterMs: number; response: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let response = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /hooks/payment/system_default HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n',
      );
    });
    const timer = setInterval(() => socket.writable && socket.write('x'), everyMs);
    socket.on('data', (chunk) => {
      response += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - started, response });
    });
  });
}

describe("tender dev's HTTP server", () => {
  it('cuts a request whose body trickles in past the request timeout (408)', async () => {
    const server = createDevServer(
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('read it all'));
      },
      { requestTimeoutMs: 600, headersTimeoutMs: 500, keepAliveTimeoutMs: 500, checkIntervalMs: 100 },
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const { closedAfterMs, response } = await trickle((server.address() as AddressInfo).port, 100);

    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(500);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it('has timeouts by default: a whole request within 30 s, its headers within 10 s', () => {
    const server = createDevServer(() => {});
    expect([server.requestTimeout, server.headersTimeout, server.keepAliveTimeout]).toEqual([
      DEV_SERVER_TIMEOUTS.requestTimeoutMs,
      DEV_SERVER_TIMEOUTS.headersTimeoutMs,
      DEV_SERVER_TIMEOUTS.keepAliveTimeoutMs,
    ]);
    expect(DEV_SERVER_TIMEOUTS).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
  });
});
