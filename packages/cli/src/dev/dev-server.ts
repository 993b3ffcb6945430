import { createServer, type RequestListener, type Server } from 'node:http';

export interface DevServerTimeouts {
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** How often node checks the two above (its default, 30 s, would let a slow request run twice as long). */
  checkIntervalMs: number;
}

/** A provider sends a webhook in well under a second: a client that trickles its request is cut. */
export const DEV_SERVER_TIMEOUTS: DevServerTimeouts = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

export function createDevServer(listener: RequestListener, timeouts: DevServerTimeouts = DEV_SERVER_TIMEOUTS): Server {
  const server = createServer(
    {
      requestTimeout: timeouts.requestTimeoutMs,
      headersTimeout: timeouts.headersTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    listener,
  );
  return server;
}
