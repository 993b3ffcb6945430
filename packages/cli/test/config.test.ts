import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { configFromEnvironment, withRunSystemProvider } from '../src/config/env-config.js';
import { loadConfig } from '../src/config/load-config.js';

describe('configuration from the environment', () => {
  it('has no provider without their variables: no secret everyone knows is trusted', () => {
    const config = configFromEnvironment({});
    expect(config.providers).toEqual([]);
    expect(config.databaseUrl).toBeUndefined();
  });

  it("tender dev's system provider: a secret of its own for each run, none added when one is configured", () => {
    const first = withRunSystemProvider(configFromEnvironment({}));
    const second = withRunSystemProvider(configFromEnvironment({}));
    expect(first.secret).toMatch(/^whsec_dev_[\w-]{32}$/);
    expect(second.secret).not.toBe(first.secret);
    expect(first.config.providers!.map((p) => [p.id, p.options])).toEqual([['default', { webhookSecrets: [first.secret] }]]);
    const configured = withRunSystemProvider(configFromEnvironment({ TENDER_SYSTEM_WEBHOOK_SECRET: 'whsec_system_from_env' }));
    expect(configured.secret).toBeUndefined();
    expect(configured.config.providers!.map((p) => p.options)).toEqual([{ webhookSecrets: ['whsec_system_from_env'] }]);
  });

  it('adds Stripe, the database and the port from their variables', () => {
    const config = configFromEnvironment({
      STRIPE_API_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      DATABASE_URL: 'postgresql://db/x',
      PORT: '8080',
      TENDER_SYSTEM_WEBHOOK_SECRET: 'whsec_system_from_env',
    });
    expect(config.providers!.map((p) => [p.id, p.options])).toEqual([
      ['default', { webhookSecrets: ['whsec_system_from_env'] }],
      ['stripe', { apiKey: 'sk_test_1', webhookSecret: 'whsec_1' }],
    ]);
    expect(config).toMatchObject({ databaseUrl: 'postgresql://db/x', port: 8080 });
  });

  it('refuses a port that is not one', () => {
    expect(() => configFromEnvironment({ PORT: 'eighty' })).toThrow(
      'PORT must be a port number between 0 and 65535, got "eighty".',
    );
  });
});

describe('loading a config file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tender-config-'));
    await writeFile(join(dir, 'array.config.mjs'), 'export default [1, 2];\n');
    await writeFile(join(dir, 'port.config.mjs'), "export default { port: 'x' };\n");
    await writeFile(join(dir, 'fn.config.mjs'), 'export default async () => ({ port: 1234 });\n');
    await writeFile(join(dir, 'syntax.config.mjs'), 'export default {\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('falls back to the environment when there is no file', async () => {
    expect((await loadConfig({ cwd: dir })).source).toBeUndefined();
  });

  it('accepts a function returning the options', async () => {
    expect(await loadConfig({ cwd: dir, path: 'fn.config.mjs' })).toEqual({
      config: { port: 1234 },
      source: join(dir, 'fn.config.mjs'),
    });
  });

  it('says what is wrong with a file', async () => {
    await expect(loadConfig({ cwd: dir, path: 'array.config.mjs' })).rejects.toThrow('must export default an object of options');
    await expect(loadConfig({ cwd: dir, path: 'port.config.mjs' })).rejects.toThrow('port: must be a port number');
    await expect(loadConfig({ cwd: dir, path: 'missing.config.ts' })).rejects.toThrow('does not exist');
    await expect(loadConfig({ cwd: dir, path: 'syntax.config.mjs' })).rejects.toThrow(/^Could not load .*syntax\.config\.mjs/);
  });
});
