import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { TenderError, type WebhookReceiver } from '@tender/core';
import {
  createFetchHandler,
  createForwardedWebhookHandler,
  createForwardedWebhookListener,
  createForwardingReceiver,
  createNodeListener,
  createNodeServer,
  createWebhookHandler,
  expressWebhookRouter,
  fastifyWebhookPlugin,
  nodeMiddleware,
  type WebhookHandlerOptions,
  webhookHandlerOptionsSchema,
} from '@tender/http';
import Fastify, { type FastifyInstance } from 'fastify';
import { send } from './support/client.js';
import { MemoryLogger } from './support/memory-logger.js';
import { RecordingReceiver } from './support/recording-receiver.js';

const SECRET = 'forwarding-secret-0123456789abcdef';

function refusal(make: () => unknown): TenderError {
  let error: unknown;
  try {
    make();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TenderError);
  expect((error as TenderError).type).toBe('invalid_data');
  return error as TenderError;
}

/** Every route factory that takes the handler's options, called the way a host calls it. */
const FACTORIES: [string, (receiver: WebhookReceiver, options: WebhookHandlerOptions) => unknown][] = [
  ['createWebhookHandler', createWebhookHandler],
  ['createNodeListener', createNodeListener],
  ['nodeMiddleware', nodeMiddleware],
  ['expressWebhookRouter', expressWebhookRouter],
  ['createFetchHandler', createFetchHandler],
  ['createNodeServer', createNodeServer],
];

describe.each(FACTORIES)('%s checks its options when it is called', (_name, factory) => {
  const receiver = new RecordingReceiver();

  it.each([
    ['a negative body limit', { bodyLimit: -1 }, /bodyLimit: must be a non-negative integer number of bytes .*got -1/],
    ['a body limit in text', { bodyLimit: '1mb' }, /bodyLimit: must be a non-negative integer .*got a string/],
    [
      'a body timeout of 0',
      { bodyTimeoutMs: 0 },
      /bodyTimeoutMs: must be a positive integer number of milliseconds .*0 would never time out.*got 0/,
    ],
    ['no content types', { contentTypes: [] }, /contentTypes: must list at least one media type \(use "\*\/\*" to accept any\)/],
    ['one content type as a string', { contentTypes: 'application/json' }, /contentTypes: must be an array of media types/],
    ['a prefix with a query string', { prefix: '/hooks?x=1' }, /prefix: must be a path without a query string/],
    [
      'a logger without methods',
      { logger: console.log },
      /logger: must be a pino-compatible logger \(an object with info, warn, error\), got a function/,
    ],
    [
      'an onResult that is not a function',
      { onResult: 'metrics' },
      /onResult: must be a callback .*\(a function\), got a string/,
    ],
  ])('refuses %s', (_label, options, message) => {
    const error = refusal(() => factory(receiver, options as WebhookHandlerOptions));
    expect(error.message).toMatch(/^Invalid (webhook handler|node server) options: /);
    expect(error.message).toMatch(message);
  });

  it('refuses a misspelt option, naming it, the option it most likely is, and the valid ones', () => {
    const error = refusal(() => factory(receiver, { bodylimit: 10 } as WebhookHandlerOptions));
    expect(error.message).toContain('unknown option "bodylimit" (did you mean "bodyLimit"?)');
    expect(error.message).toContain('the options are: prefix, bodyLimit, bodyTimeoutMs, contentTypes, logger, onResult');
  });

  it('refuses something that is not a receiver', () => {
    const error = refusal(() => factory({} as WebhookReceiver, {}));
    expect(error.message).toMatch(/need a receiver \(an object with receiveWebhook\): the payment module/);
  });

  it('accepts valid options, and undefined for an option left to its default', () => {
    expect(() =>
      factory(receiver, {
        prefix: '/webhooks/',
        bodyLimit: 0,
        bodyTimeoutMs: 1,
        contentTypes: ['*/*'],
        logger: new MemoryLogger(),
        onResult: () => {},
      }),
    ).not.toThrow();
    expect(() => factory(receiver, { prefix: undefined, logger: undefined })).not.toThrow();
  });
});

describe('createNodeServer', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('takes headersTimeoutMs besides the handler options, and refuses it misspelt or 0', () => {
    const receiver = new RecordingReceiver();
    expect(refusal(() => createNodeServer(receiver, { headersTimeoutMs: 0 })).message).toMatch(
      /^Invalid node server options: headersTimeoutMs: must be a positive integer number of milliseconds/,
    );
    expect(refusal(() => createNodeServer(receiver, { headerTimeoutMs: 5 } as never)).message).toContain(
      'unknown option "headerTimeoutMs" (did you mean "headersTimeoutMs"?)',
    );
  });

  it('with valid options serves a webhook', async () => {
    const receiver = new RecordingReceiver();
    const server = createNodeServer(receiver, { headersTimeoutMs: 5_000, bodyLimit: 1024, prefix: '/webhooks' });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const response = await send(baseUrl, '/webhooks/system_default', {
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    expect(response.status).toBe(200);
    expect(receiver.calls.map((call) => call.rawBody.toString())).toEqual(['{"ok":true}']);
  });
});

describe('fastifyWebhookPlugin', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function register(options: object): Promise<FastifyInstance> {
    const app = Fastify();
    apps.push(app);
    await app.register(fastifyWebhookPlugin, options as never);
    await app.ready();
    return app;
  }

  it('refuses a misspelt option and a missing receiver at register time', async () => {
    await expect(register({ receiver: new RecordingReceiver(), bodyLimt: 5 })).rejects.toThrow(
      /^Invalid Fastify webhook plugin options: \(options\): unknown option "bodyLimt" \(did you mean "bodyLimit"\?\)/,
    );
    await expect(register({ prefix: '/x' })).rejects.toThrow(/receiver: must be the payment module .*got nothing/);
    await expect(register({ receiver: new RecordingReceiver(), bodyTimeoutMs: -1 })).rejects.toThrow(/bodyTimeoutMs: /);
  });

  it("accepts register's own options (logLevel) alongside the handler's", async () => {
    const app = await register({ receiver: new RecordingReceiver(), logLevel: 'silent', bodyLimit: 2048 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const response = await send(baseUrl, '/hooks/payment/system_default', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
  });
});

describe('forwarding options', () => {
  it('the endpoint refuses a misspelt option and a bad body timeout', () => {
    const receiver = new RecordingReceiver();
    for (const factory of [createForwardedWebhookListener, createForwardedWebhookHandler]) {
      expect(refusal(() => factory(receiver, { secret: SECRET, bodylimit: 10 } as never)).message).toMatch(
        /^Invalid forwarding endpoint options: \(options\): unknown option "bodylimit" \(did you mean "bodyLimit"\?\); the options are: secret, prefix, bodyLimit, bodyTimeoutMs, logger\./,
      );
      expect(refusal(() => factory(receiver, { secret: SECRET, bodyTimeoutMs: 0 })).message).toMatch(
        /bodyTimeoutMs: must be a positive integer number of milliseconds/,
      );
      expect(() => factory(receiver, { secret: SECRET, bodyLimit: 10, bodyTimeoutMs: 100, prefix: '/fwd' })).not.toThrow();
    }
  });

  it('the edge refuses a misspelt option, a timeout of 0 and a fetch that is not one', () => {
    const target = 'http://central.example/v1';
    expect(refusal(() => createForwardingReceiver({ target, secret: SECRET, timeout: 5 } as never)).message).toContain(
      'unknown option "timeout" (did you mean "timeoutMs"?)',
    );
    expect(refusal(() => createForwardingReceiver({ target, secret: SECRET, timeoutMs: 0 })).message).toMatch(
      /^Invalid forwarding options: timeoutMs: must be a positive integer number of milliseconds/,
    );
    expect(refusal(() => createForwardingReceiver({ target, secret: SECRET, fetch: 'x' as never })).message).toMatch(
      /fetch: must be a fetch implementation \(a function\), got a string/,
    );
    expect(() => createForwardingReceiver({ target, secret: SECRET, timeoutMs: 500, fetch })).not.toThrow();
  });
});

it('the schema lists exactly the documented handler options', () => {
  expect(Object.keys(webhookHandlerOptionsSchema.shape)).toEqual([
    'prefix',
    'bodyLimit',
    'bodyTimeoutMs',
    'contentTypes',
    'logger',
    'onResult',
  ]);
});
