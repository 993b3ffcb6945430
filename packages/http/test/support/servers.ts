import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from '@jest/globals';
import type { WebhookReceiver } from '@tender/core';
import {
  createFetchHandler,
  createNodeListener,
  expressWebhookRouter,
  fastifyWebhookPlugin,
  nodeMiddleware,
  type WebhookHandlerOptions,
} from '@tender/http';
import express from 'express';
import Fastify from 'fastify';

export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** Path every host app also serves itself, to show the adapter leaves other routes alone. */
export const HOST_ECHO_PATH = '/api/echo';

export interface ListeningServer extends RunningServer {
  port: number;
}

/** Listens on a free 127.0.0.1 port; `close` cuts open connections first. */
async function listen(server: http.Server): Promise<ListeningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * For a test file's own servers: `serve` starts a server (or one for a request listener, an express app
 * included) on a free 127.0.0.1 port, and after each test everything it started, and whatever else was
 * given to `closeAfterEach`, is closed in the order it came.
 */
export function serversClosedAfterEach(): {
  serve(target: http.Server | http.RequestListener): Promise<ListeningServer>;
  closeAfterEach(close: () => Promise<unknown>): void;
} {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  return {
    async serve(target) {
      const server = await listen(typeof target === 'function' ? http.createServer(target) : target);
      // A server a test already closed needs nothing more.
      closers.push(() => server.close().catch(() => undefined));
      return server;
    },
    closeAfterEach(close) {
      closers.push(close);
    },
  };
}

export function startNodeServer(receiver: WebhookReceiver, options: WebhookHandlerOptions): Promise<RunningServer> {
  return listen(http.createServer(createNodeListener(receiver, options)));
}

/** A hand-rolled Connect-style chain: the middleware first, then the host's own JSON route. */
export function startNodeMiddlewareServer(receiver: WebhookReceiver, options: WebhookHandlerOptions): Promise<RunningServer> {
  const middleware = nodeMiddleware(receiver, options);
  const hostRoute = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(req.url === HOST_ECHO_PATH ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ host: true, parsed: chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null }));
    });
  };
  return listen(
    http.createServer((req, res) => {
      middleware(req, res, (error?: unknown) => {
        if (error) {
          res.writeHead(500).end('host error handler');
          return;
        }
        hostRoute(req, res);
      });
    }),
  );
}

/** The correct mount: the Tender router before express.json(). */
export function startExpressServer(receiver: WebhookReceiver, options: WebhookHandlerOptions): Promise<RunningServer> {
  const app = express();
  app.use(expressWebhookRouter(receiver, options));
  app.use(express.json());
  app.post(HOST_ECHO_PATH, (req, res) => {
    res.json({ host: true, parsed: req.body });
  });
  return listen(http.createServer(app));
}

export async function startFastifyServer(receiver: WebhookReceiver, options: WebhookHandlerOptions): Promise<RunningServer> {
  const app = Fastify();
  await app.register(fastifyWebhookPlugin, { receiver, ...options });
  app.post(HOST_ECHO_PATH, async (request) => ({ host: true, parsed: request.body }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * Serves a Fetch handler from node:http the way Hono's or Next's node servers do: the request
 * body becomes a web ReadableStream (pulled on demand, so backpressure reaches the socket) and
 * the Response is written back.
 */
export function serveFetch(fetchHandler: (request: Request) => Promise<Response>): Promise<RunningServer> {
  const server = http.createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    // Once the handler cancels the stream, the socket's late events must not touch its controller (closed).
    let canceled = false;
    const body = hasBody
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            req.on('data', (chunk: Buffer) => {
              if (canceled) return;
              controller.enqueue(new Uint8Array(chunk));
              if ((controller.desiredSize ?? 0) <= 0) req.pause();
            });
            req.on('end', () => canceled || controller.close());
            req.on('error', (error) => canceled || controller.error(error));
            req.pause();
          },
          pull() {
            req.resume();
          },
          // The handler stopped reading: stop pulling from the socket and close it once answered.
          cancel() {
            canceled = true;
            req.pause();
            res.shouldKeepAlive = false;
          },
        })
      : undefined;
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body,
      duplex: 'half',
    } as RequestInit);
    const response = await fetchHandler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return listen(server);
}

export function startFetchServer(receiver: WebhookReceiver, options: WebhookHandlerOptions): Promise<RunningServer> {
  return serveFetch(createFetchHandler(receiver, options));
}

/** `hostRoutes`: the host app also serves HOST_ECHO_PATH with its own JSON parsing. */
export const ADAPTERS = [
  { name: 'node:http listener', start: startNodeServer, hostRoutes: false },
  { name: 'node middleware', start: startNodeMiddlewareServer, hostRoutes: true },
  { name: 'express', start: startExpressServer, hostRoutes: true },
  { name: 'fastify', start: startFastifyServer, hostRoutes: true },
  { name: 'fetch', start: startFetchServer, hostRoutes: false },
];
