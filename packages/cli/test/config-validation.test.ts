import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { paymentModuleOptionsSchema } from '@tender/payment-module';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { loadConfig } from '../src/config/load-config.js';
import { CliError } from '../src/errors.js';
import { openModule } from '../src/host/open-module.js';
import { main } from '../src/main.js';

let dir: string;
let database: TestDatabase;

async function configFile(name: string, body: string): Promise<string> {
  await writeFile(join(dir, name), `export default ${body};\n`);
  return name;
}

async function refusal(body: string): Promise<CliError> {
  const path = await configFile(`c${Math.random().toString(36).slice(2)}.config.mjs`, body);
  const error = await loadConfig({ cwd: dir, path }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).message.startsWith(join(dir, path))).toBe(true);
  return error as CliError;
}

/** `tender <argv>` as the shell runs it: the exit code and what it printed. */
async function tender(...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const out = { line: (text: string) => void lines.push(text), error: (text: string) => void lines.push(text) };
  const code = await main(argv, out as never, dir);
  return { code, output: lines.join('\n') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tender-config-validation-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await database?.drop();
});

describe('a config file is checked option by option', () => {
  it.each([
    ['a pool of 0', '{ poolSize: 0 }', /poolSize: must be a whole number of connections, at least 1, got 0\.$/],
    ['an outbox batch of 0', '{ outbox: { batchSize: 0 } }', /outbox\.batchSize: .*\(0 would claim nothing\), got 0/],
    ['a port out of range', '{ port: 70000 }', /port: must be a port number between 0 and 65535, got "70000"/],
    ['an empty host', "{ host: '' }", /host: must be the interface tender dev binds to/],
    [
      'providers as an object',
      '{ providers: {} }',
      /providers: must be an array of \{ resolve, id, options \} registrations, got an object/,
    ],
    ['a MySQL database', "{ databaseUrl: 'mysql://root@db/shop' }", /databaseUrl: must be a PostgreSQL URL .*got a "mysql:" URL/],
    ['a worker option misspelt', '{ worker: { leasems: 100 } }', /worker: unknown option "leasems" \(did you mean "leaseMs"\?\)/],
  ])('%s', async (_label, body, message) => {
    expect((await refusal(body)).message).toMatch(message);
  });

  it('a misspelt top-level option is named, with its likely meaning and every valid name (port and host too)', async () => {
    const error = await refusal('{ poolsize: 4, Port: 9000 }');
    expect(error.message).toContain('unknown options "poolsize" (did you mean "poolSize"?), "Port" (did you mean "port"?)');
    expect(error.message).toContain(
      `the options are: ${[...Object.keys(paymentModuleOptionsSchema.shape), 'port', 'host'].join(', ')}.`,
    );
  });

  it('keeps its earlier refusals: not an object, a port that is not a number', async () => {
    expect((await refusal('[1, 2]')).message).toMatch(/must export default an object of options/);
    expect((await refusal("{ port: 'x' }")).message).toMatch(/port: must be a port number between 0 and 65535, got "x"/);
  });

  it('through the command line: one line naming the file and the option, exit code 1', async () => {
    const path = await configFile('typo.config.mjs', '{ migrat: true }');
    const { code, output } = await tender('migrate', '--config', path);
    expect(code).toBe(1);
    expect(output).toMatch(/^tender: .*typo\.config\.mjs: \(options\): unknown option "migrat" \(did you mean "migrate"\?\)/);
  });

  it('valid options load as written and open a module on the real database', async () => {
    const path = await configFile(
      'valid.config.mjs',
      `{ port: '9100', host: '127.0.0.1', databaseUrl: ${JSON.stringify(database.url)}, poolSize: 2, migrate: true, providers: [], worker: { batchSize: 4 }, outbox: { relay: false } }`,
    );
    const loaded = await loadConfig({ cwd: dir, path });
    expect(loaded.config).toMatchObject({ port: '9100', poolSize: 2, worker: { batchSize: 4 } });
    const { payments } = await openModule({}, { cwd: dir, verbose: false, loaded, run: 'worker' });
    try {
      expect(payments.databaseUrl).toBe(database.url);
      expect(payments.worker).toBeDefined();
      expect(await payments.migrate()).toEqual([]);
    } finally {
      await payments.close();
    }
  });
});

describe('flags', () => {
  it('--database-url must be a PostgreSQL URL: a usage error before anything connects', async () => {
    const { code, output } = await tender('webhooks', 'list', '--database-url', 'mysql://root:secret-pw@db/shop');
    expect(code).toBe(2);
    expect(output).toMatch(/^tender: --database-url must be a PostgreSQL URL .*got a "mysql:" URL\./);
    expect(output).not.toContain('secret-pw');
  });

  it('--limit must be a positive integer', async () => {
    const { code, output } = await tender('webhooks', 'list', '--limit', '0', '--database-url', database.url);
    expect(code).toBe(2);
    expect(output).toContain('--limit must be a positive integer, got "0".');
  });
});
