import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { createProjectDir, type ProjectDir, parseJson, runCli } from '../../support/cli/run-cli.js';

describe('tender --help and errors', () => {
  it('lists every command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['demo', 'dev', 'migrate', 'webhooks', 'providers', 'simulate', 'tenants']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    }
  });

  it('prints a command help with --help, and usage with exit code 2 for no command or an unknown one', async () => {
    const help = await runCli(['simulate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tender simulate <provider> <event> --session <id>');
    expect((await runCli([])).code).toBe(2);
    const unknown = await runCli(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('tender: Unknown command "deploy".\nRun `tender --help` for usage.\n');
    const badFlag = await runCli(['migrate', '--frobnicate']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("Unknown option '--frobnicate'");
  });

  it('explains a missing database in one line, without a stack trace unless --verbose', async () => {
    const run = await runCli(['webhooks', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('tender: No database to work on: pass --database-url'),
    ]);
    const verbose = await runCli(['webhooks', 'list', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at .+open-module\.js/);
  });

  it('names an unreachable database', async () => {
    const run = await runCli(['migrate', '--database-url', 'postgresql://postgres@127.0.0.1:1/none']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('tender migrate', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('applies the pending migrations once, then has nothing to do', async () => {
    const first = await runCli(['migrate', '--database-url', database.url, '--json']);
    expect(first.code).toBe(0);
    const { applied } = parseJson<{ applied: string[] }>(first);
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((name) => name.startsWith('Migration'))).toBe(true);
    const second = await runCli(['migrate'], { env: { DATABASE_URL: database.url } });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('The database is up to date: no pending migrations.\n');
  });
});

describe('tender providers list', () => {
  let project: ProjectDir;
  beforeAll(async () => {
    project = await createProjectDir();
    await project.write(
      'tender.config.ts',
      `import type { TenderConfig } from '@tender/cli';
import { HmacPaymentProvider } from '@tender/provider-hmac';
import { StripeProvider } from '@tender/provider-stripe';
import { SystemPaymentProvider } from '@tender/provider-system';

export default {
  port: 4321,
  providers: [
    { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: ['whsec_providers_list'] } },
    { resolve: StripeProvider, id: 'stripe', options: { apiKey: 'sk_test_list', webhookSecret: 'whsec_list_0123456789abcdef' } },
    { resolve: HmacPaymentProvider, id: 'acme', options: { secrets: ['hmac-secret-for-the-list'], events: { actions: { 'payment.authorized': 'authorized' } } } },
  ],
} satisfies TenderConfig;
`,
    );
    await project.write(
      'broken.config.ts',
      `import { StripeProvider } from '@tender/provider-stripe';
export default { providers: [{ resolve: StripeProvider, id: 'stripe', options: { apiKey: 'pk_test_oops', webhookSecret: 'whsec_x' } }] };
`,
    );
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('reads tender.config.ts from the working directory and prints each webhook URL and its events', async () => {
    const run = await runCli(['providers', 'list', '--json'], { cwd: project.path });
    expect(run.code).toBe(0);
    const rows = parseJson<{ id: string; webhook_url: string; events: string[] }[]>(run);
    expect(rows.map((r) => [r.id, r.webhook_url])).toEqual([
      ['pp_system_default', 'http://127.0.0.1:4321/hooks/payment/system_default'],
      ['pp_stripe_stripe', 'http://127.0.0.1:4321/hooks/payment/stripe_stripe'],
      ['pp_hmac_acme', 'http://127.0.0.1:4321/hooks/payment/hmac_acme'],
    ]);
    expect(rows[1]!.events).toEqual(expect.arrayContaining(['payment_intent.succeeded', 'charge.refunded']));
    expect(rows[2]!.events).toEqual(expect.arrayContaining(['payment.completed', 'payment.authorized']));

    const table = await runCli(['providers', 'list', '--url', 'https://shop.example'], { cwd: project.path });
    expect(table.stdout).toMatch(/^pp_stripe_stripe +https:\/\/shop\.example\/hooks\/payment\/stripe_stripe +payment_intent\./m);
  });

  it("reports a provider's invalid option the way the module does", async () => {
    const run = await runCli(['providers', 'list', '--config', 'broken.config.ts'], { cwd: project.path });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('apiKey is a publishable key (pk_…)');
  });

  it('uses the environment when there is no config file: only the providers its variables configure', async () => {
    const env = { STRIPE_API_KEY: 'sk_test_env', STRIPE_WEBHOOK_SECRET: 'whsec_env_0123456789abcdef', PORT: '7000' };
    const run = await runCli(['providers', 'list', '--json'], { env, cwd: '/' });
    expect(run.code).toBe(0);
    expect(parseJson<{ webhook_url: string }[]>(run).map((r) => r.webhook_url)).toEqual([
      'http://127.0.0.1:7000/hooks/payment/stripe_stripe',
    ]);
    const withSystem = await runCli(['providers', 'list', '--json'], {
      env: { ...env, TENDER_SYSTEM_WEBHOOK_SECRET: 'whsec_system_from_env_0123' },
      cwd: '/',
    });
    expect(parseJson<{ id: string }[]>(withSystem).map((r) => r.id)).toEqual(['pp_system_default', 'pp_stripe_stripe']);
    const none = await runCli(['providers', 'list'], { cwd: '/' });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^No providers configured: there is no tender\.config\.ts here/);
  });
});
