import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import {
  createLogger,
  createPaymentModule,
  type PaymentModuleOptions,
  paymentModuleOptionsSchema,
  startWorker,
} from '@tender/payment-module';
import { createTestDatabase, internalsOf, type TestDatabase } from '@tender/payment-module/testing';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';

// Nothing listens here: options must be refused before any connection is tried.
const UNREACHABLE = 'postgresql://nobody@127.0.0.1:1/none';
const silent = createLogger({ level: 'silent' });
const providers = [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: ['module-options-secret-01'] } }];

async function refusal(options: unknown): Promise<TenderError> {
  const error = await createPaymentModule(options as PaymentModuleOptions).then(
    async (module) => {
      await module.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenderError);
  expect((error as TenderError).type).toBe('invalid_data');
  expect((error as TenderError).message).toMatch(/^Invalid payment module options: /);
  return error as TenderError;
}

describe('createPaymentModule refuses bad options before it touches the database', () => {
  it.each([
    ['a pool of 0 connections', { poolSize: 0 }, /poolSize: must be a whole number of connections, at least 1, got 0/],
    ['a fractional pool', { poolSize: 2.5 }, /poolSize: .*got 2\.5/],
    ['a pool size given as text', { poolSize: '10' }, /poolSize: must be a whole number .*got a string/],
    ['migrate as a string', { migrate: 'yes' }, /migrate: must be true or false/],
    ['a MySQL URL', { databaseUrl: 'mysql://root@localhost/shop' }, /databaseUrl: must be a PostgreSQL URL .*got a "mysql:" URL/],
    ['a database URL that is not a URL', { databaseUrl: 'localhost:5432' }, /databaseUrl: must be a PostgreSQL URL/],
    ['a blank database URL', { databaseUrl: '  ' }, /databaseUrl: must be a PostgreSQL URL .*; the value given is not a URL/],
    [
      'providers as an object',
      { providers: { resolve: SystemPaymentProvider } },
      /providers: must be an array of \{ resolve, id, options \}/,
    ],
    ['a registration without resolve', { providers: [{ id: 'default' }] }, /providers\[0\]\.resolve: must be a provider class/],
    [
      'a registration whose id has "_"',
      { providers: [{ resolve: SystemPaymentProvider, id: 'a_b' }] },
      /providers\[0\]\.id: needs an `id`/,
    ],
    [
      'a misspelt registration key',
      { providers: [{ resolve: SystemPaymentProvider, id: 'x', option: {} }] },
      /providers\[0\]: unknown option "option" \(did you mean "options"\?\)/,
    ],
    ['an outbox batch of 0', { outbox: { batchSize: 0 } }, /outbox\.batchSize: .*at least 1 \(0 would claim nothing\), got 0/],
    ['a misspelt outbox option', { outbox: { retention: 1000 } }, /outbox: unknown option "retention"/],
    ['a worker batch of 0', { worker: { batchSize: 0 } }, /worker\.batchSize: .*at least 1/],
    [
      'a misspelt worker option',
      { worker: { batchsize: 8 } },
      /worker: unknown option "batchsize" \(did you mean "batchSize"\?\); the options are: batchSize, batchesInFlight/,
    ],
    ['worker: true', { worker: true }, /worker: must be false \(no in-process worker\) or an object of worker options/],
    ['a short encryption key', { encryptionKey: randomBytes(16).toString('base64') }, /encryptionKey: must be a 32-byte key/],
    [
      'a weak previous key',
      { previousEncryptionKeys: ['0'.repeat(64)] },
      /previousEncryptionKeys\[0\]: is not a random key .*openssl rand -base64 32/,
    ],
    [
      'a logger without methods',
      { logger: {} },
      /logger: must be a pino-compatible logger \(an object with info, warn, error\), got an object/,
    ],
    [
      'a workflow that is not a function',
      { workflow: { run() {} } },
      /workflow: must be a workflow factory such as processPaymentWorkflow \(a function\)/,
    ],
    ['a cart that is not a CartPort', { cart: 'carts' }, /cart: must be a CartPort/],
    [
      'an afterPaymentHook that is not a function',
      { afterPaymentHook: { run() {} } },
      /afterPaymentHook: must be an async function \(\{ input, session, payment \}\) .* \(a function\), got an object/,
    ],
    ['an event bus without publish', { eventBus: [{ name: 'x' }] }, /eventBus: must be an EventBus/],
    [
      'fetch that is not one',
      { fetch: 'https://example.com' },
      /fetch: must be a fetch implementation \(a function\), got a string/,
    ],
  ])('%s', async (_name, options, message) => {
    const error = await refusal({ databaseUrl: UNREACHABLE, logger: silent, ...options });
    expect(error.message).toMatch(message);
  });

  it('names a misspelt top-level option, guesses the right one and lists the valid ones', async () => {
    const error = await refusal({ databaseUrl: UNREACHABLE, poolsize: 5 });
    expect(error.message).toContain('unknown option "poolsize" (did you mean "poolSize"?)');
    expect(error.message).toContain(`the options are: ${Object.keys(paymentModuleOptionsSchema.shape).join(', ')}`);
    expect(error.message).toContain('databaseUrl, providers, migrate');
  });

  it('reports every bad option at once, with their paths in the details', async () => {
    const error = await refusal({ databaseUrl: UNREACHABLE, poolSize: -1, migrate: 1, outbox: { leaseMs: 5 } });
    expect((error.details!.issues as { path: PropertyKey[] }[]).map((issue) => issue.path)).toEqual([
      ['migrate'],
      ['outbox', 'leaseMs'],
      ['poolSize'],
    ]);
  });

  it('never repeats a database URL, which may carry a password', async () => {
    const error = await refusal({ databaseUrl: 'mysql://root:hunter2-password@db/shop' });
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses something that is not an object of options', async () => {
    expect((await refusal(['databaseUrl'])).message).toMatch(/\(options\): must be an object of options.*got an array/);
  });

  it('checks DATABASE_URL when it stands in for databaseUrl', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'mysql://root@localhost/shop';
    try {
      await expect(createPaymentModule({ logger: silent })).rejects.toThrow(/^DATABASE_URL must be a PostgreSQL URL/);
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });

  it('startWorker passes its own handleSignals on without the module calling it unknown', async () => {
    await expect(
      startWorker({
        databaseUrl: UNREACHABLE,
        workflow: processPaymentWorkflow,
        logger: silent,
        handleSignals: false,
        poolSize: 0,
      }),
    ).rejects.toThrow(/^Invalid payment module options: poolSize:/);
  });
});

describe('valid options still make a working module', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('every option, set to a sensible value', async () => {
    const payments = await createPaymentModule({
      databaseUrl: database.url,
      poolSize: 3,
      migrate: true,
      providers,
      workflow: processPaymentWorkflow,
      cart: {
        retrieveCartByPaymentCollection: async () => null,
        completeCart: async () => ({ order_id: 'order_1' }),
      },
      afterPaymentHook: async () => {},
      eventBus: [],
      outbox: { batchSize: 8, relay: true, retentionMs: 60_000, listen: false },
      logger: silent,
      worker: { batchSize: 4, concurrency: 2, listen: false },
      encryptionKey: randomBytes(32).toString('base64'),
      previousEncryptionKeys: [randomBytes(32).toString('hex')],
      fetch: globalThis.fetch,
    });
    try {
      expect(internalsOf(payments).registry.get('pp_system_default')).toBeDefined();
      const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '10.00' });
      expect(collection.id).toMatch(/^pay_col_/);
      expect(payments.worker).toBeDefined();
    } finally {
      await payments.close();
    }
  });

  it('worker: false and a module whose default export is the provider class', async () => {
    const payments = await createPaymentModule({
      databaseUrl: database.url,
      migrate: true,
      providers: [{ resolve: { default: SystemPaymentProvider }, id: 'second', options: {} }],
      workflow: processPaymentWorkflow,
      worker: false,
      logger: silent,
      // An option left undefined is the same as one left out.
      cart: undefined,
    });
    try {
      expect(payments.worker).toBeUndefined();
      expect(internalsOf(payments).registry.get('pp_system_second')).toBeDefined();
    } finally {
      await payments.close();
    }
  });
});
