import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface EmulatorResponse {
  status: number;
  /** Already-serialized JSON (so money can be written as exact number literals). */
  json?: string;
  headers?: Record<string, string>;
}

export interface LocalServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 (at `port`, default a free one) that hands each buffered request to `handle`. */
export async function startLocalServer(
  handle: (request: EmulatorRequest) => EmulatorResponse,
  pathPrefix = '',
  port = 0,
): Promise<LocalServer> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let response: EmulatorResponse;
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const path = url.pathname.startsWith(pathPrefix) ? url.pathname.slice(pathPrefix.length) || '/' : url.pathname;
        response = handle({
          method: req.method ?? 'GET',
          path,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      } catch (error) {
        response = { status: 500, json: JSON.stringify({ status: 'error', message: [String(error)] }) };
      }
      res.writeHead(response.status, {
        ...(response.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...response.headers,
      });
      res.end(response.json);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${bound}${pathPrefix}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
