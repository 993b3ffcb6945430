import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookReceiver } from '@tender/core';
import {
  createFetchHandler,
  createNodeListener,
  expressWebhookRouter,
  fastifyWebhookPlugin,
  type WebhookHandlerOptions,
} from '@tender/http';
import express from 'express';
import Fastify from 'fastify';

export type AdapterName = 'node' | 'express' | 'fastify' | 'fetch';
export const ADAPTERS: AdapterName[] = ['node', 'express', 'fastify', 'fetch'];

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<RunningServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Bridges node's http server to a Fetch-API handler, as Bun, Deno or a Next.js route would call it. */
function serveFetch(handler: (request: Request) => Promise<Response>): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, x]) : v === undefined ? [] : [[k, v]],
      ) as [string, string][],
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

/** Mounts the webhook route with one of the adapters, as a host app would, on 127.0.0.1. */
export async function serveWebhooks(
  adapter: AdapterName,
  receiver: WebhookReceiver,
  options: WebhookHandlerOptions = {},
): Promise<RunningServer> {
  switch (adapter) {
    case 'node':
      return listen(createServer(createNodeListener(receiver, options)));
    case 'express': {
      const app = express();
      app.use(expressWebhookRouter(receiver, options));
      app.use(express.json()); // the host's own JSON routes stay as they were
      return listen(createServer(app));
    }
    case 'fastify': {
      const app = Fastify();
      await app.register(fastifyWebhookPlugin, { receiver, ...options } as never);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    }
    case 'fetch':
      return listen(serveFetch(createFetchHandler(receiver, options)));
  }
}
