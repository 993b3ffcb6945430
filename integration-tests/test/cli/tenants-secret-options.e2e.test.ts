import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import pg from 'pg';
import { createProjectDir, type ProjectDir, parseJson, runCli } from '../../support/cli/run-cli.js';

const CONFIG = `import { SystemPaymentProvider } from '@tender/provider-system';

export default {
  providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: ['module-secret-000001'] } }],
};
`;
const KEY = randomBytes(32).toString('base64');
const TENANT_SECRET = 'tenant-secret-value-0001';

let database: TestDatabase;
let project: ProjectDir;

beforeAll(async () => {
  database = await createTestDatabase();
  project = await createProjectDir();
  await project.write('tender.config.ts', CONFIG);
  expect((await cli(['migrate'])).code).toBe(0);
});
afterAll(async () => {
  await project?.remove();
  await database?.drop();
});

function cli(args: string[]) {
  return runCli([...args, '--database-url', database.url], { cwd: project.path, env: { TENDER_ENCRYPTION_KEY: KEY } });
}

async function storedRows(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const tenants = await client.query('select * from tenant');
    const configs = await client.query('select * from provider_config');
    return JSON.stringify([tenants.rows, configs.rows]);
  } finally {
    await client.end();
  }
}

describe('tender tenants set', () => {
  it.each(['webhookSecrets', 'secret', 'apiKey', 'token', 'password'])(
    'refuses --option %s=… in favour of --secret, storing nothing',
    async (name) => {
      const run = await cli(['tenants', 'set', 'acme', 'system_default', '--option', `${name}=["${TENANT_SECRET}"]`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`pass it as --secret ${name}=`);
      expect(run.stderr).not.toContain(TENANT_SECRET);
      expect(await storedRows()).toBe('[[],[]]');
    },
  );

  it('stores the same value given with --secret, encrypted', async () => {
    const run = await cli([
      'tenants',
      'set',
      'acme',
      'system_default',
      '--secret',
      `webhookSecrets=["${TENANT_SECRET}"]`,
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ tenant: 'acme', secret_names: ['webhookSecrets'] });
    const stored = await storedRows();
    expect(stored).toContain('"secrets_ciphertext":"v2.');
    expect(stored).not.toContain(TENANT_SECRET);
  });
});
