import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
}

type Reply = { status: number; body: unknown };

/**
 * A small HMAC-gateway API on 127.0.0.1 with the paths the provider documents. Like a real gateway it
 * replays the stored answer for a repeated Idempotency-Key, so a retry creates nothing new.
 */
export class GatewayEmulator {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly answered = new Map<string, Reply>();
  private readonly statuses = new Map<string, string>();
  private readonly failures: Reply[] = [];
  private counter = 0;

  constructor(private readonly apiKey?: string) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.close();
    await once(this.server, 'close');
  }

  /** The next request gets this answer instead of the normal one. */
  failNext(status: number, body: unknown = { error: 'failure requested by the test' }): void {
    this.failures.push({ status, body });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (request.url ?? '').replace(/^\/v1/, '');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    this.requests.push({ method: request.method ?? '', path, headers: request.headers, body });
    const reply = this.reply(request, path, body);
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body));
  }

  private reply(request: IncomingMessage, path: string, body: Record<string, unknown> | undefined): Reply {
    const failure = this.failures.shift();
    if (failure) return failure;
    if (this.apiKey && request.headers.authorization !== `Bearer ${this.apiKey}`)
      return { status: 401, body: { error: 'bad api key' } };
    const key = request.headers['idempotency-key'];
    const cacheKey = typeof key === 'string' ? `${request.method} ${path} ${key}` : undefined;
    const cached = cacheKey ? this.answered.get(cacheKey) : undefined;
    if (cached) return cached;
    const reply = this.route(request.method ?? '', path, body);
    if (cacheKey) this.answered.set(cacheKey, reply);
    return reply;
  }

  private route(method: string, path: string, body: Record<string, unknown> | undefined): Reply {
    const next = (prefix: string) => `${prefix}_${++this.counter}`;
    if (method === 'POST' && path === '/payments') {
      const id = next('gw');
      this.statuses.set(id, 'pending');
      return { status: 201, body: { id, status: 'pending', amount: body?.amount, pay_url: `https://pay.example/${id}` } };
    }
    const match = /^\/payments\/([^/]+)(?:\/(authorize|capture|refunds|cancel))?$/.exec(path);
    const id = match?.[1];
    if (!id || !this.statuses.has(id)) return { status: 404, body: { error: `no payment at ${path}` } };
    const operation = match[2];
    if (method === 'GET' && !operation) return { status: 200, body: { id, status: this.statuses.get(id) } };
    if (method !== 'POST') return { status: 405, body: { error: 'method not allowed' } };
    if (operation === 'authorize') this.statuses.set(id, 'authorized');
    if (operation === 'capture') this.statuses.set(id, 'captured');
    if (operation === 'cancel') this.statuses.set(id, 'canceled');
    const created = operation === 'capture' ? next('cap') : operation === 'refunds' ? next('re') : undefined;
    return { status: 200, body: { id: created ?? id, status: this.statuses.get(id) } };
  }
}
