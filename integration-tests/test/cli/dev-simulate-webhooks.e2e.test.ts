import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger, createPaymentModule, type PaymentModule } from '@tender/payment-module';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { HmacPaymentProvider } from '@tender/provider-hmac';
import { StripeProvider } from '@tender/provider-stripe';
import { createStripeWebhook, type StripeEmulator, startStripeEmulator } from '@tender/provider-stripe/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { eventually, send } from '../../support/app.js';
import { type CliProcess, createProjectDir, type ProjectDir, parseJson, runCli, startCli } from '../../support/cli/run-cli.js';

const SECRETS = { system: 'whsec_cli_dev_system', stripe: 'whsec_cli_dev_stripe_01', hmac: 'cli-dev-hmac-secret-0123456789' };
const KEY = '1837ce3b5462a59f88ef707273c287d9529f5b5eca81c4582994acb01e1084d5';
const NEW_KEY = '34ac5ecc5d05dd6d09e7eb87d29f7c0a550fac86330aefac6f887b9fb9909f13';

/** The same providers as the config file below, for the test's own module (the storefront's side). */
function providers(emulator: StripeEmulator) {
  return [
    { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SECRETS.system] } },
    {
      resolve: StripeProvider,
      id: 'stripe',
      options: { apiKey: 'sk_test_cli', webhookSecret: SECRETS.stripe, maxRetries: 0, ...emulator.options },
    },
    { resolve: HmacPaymentProvider, id: 'acme', options: { secrets: [SECRETS.hmac] } },
  ];
}

function configFile(emulator: StripeEmulator, systemSecret = SECRETS.system): string {
  return `import { HmacPaymentProvider } from '@tender/provider-hmac';
import { StripeProvider } from '@tender/provider-stripe';
import { SystemPaymentProvider } from '@tender/provider-system';

export default {
  port: 0,
  worker: { pollIntervalMs: 100 },
  providers: [
    { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: ['${systemSecret}'] } },
    {
      resolve: StripeProvider,
      id: 'stripe',
      options: { apiKey: 'sk_test_cli', webhookSecret: '${SECRETS.stripe}', maxRetries: 0, apiHost: '127.0.0.1', apiPort: ${emulator.options.apiPort}, apiProtocol: 'http' },
    },
    { resolve: HmacPaymentProvider, id: 'acme', options: { secrets: ['${SECRETS.hmac}'] } },
  ],
};
`;
}

let database: TestDatabase;
let project: ProjectDir;
let emulator: StripeEmulator;
let dev: CliProcess;
let base: string;
let shop: PaymentModule;

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli([...args, '--database-url', database.url], { cwd: project.path, env });

async function checkout(providerId: string, amount: string, currency: string) {
  const collection = await shop.service.createPaymentCollections({ currency_code: currency, amount });
  return shop.service.createPaymentSession(collection.id, { provider_id: providerId, amount, currency_code: currency });
}

const sessionStatus = async (id: string) => (await shop.service.retrievePaymentSession(id)).status;

beforeAll(async () => {
  database = await createTestDatabase();
  project = await createProjectDir();
  emulator = await startStripeEmulator();
  await project.write('tender.config.ts', configFile(emulator));
  await project.write('forged.config.ts', configFile(emulator, 'whsec_somebody_else'));
  await project.write(
    'nokeys.config.ts',
    "import { StripeProvider } from '@tender/provider-stripe';\nexport default { providers: [{ resolve: StripeProvider, id: 'stripe', options: {} }] };\n",
  );
  dev = startCli(['dev', '--database-url', database.url], { cwd: project.path, env: { TENDER_ENCRYPTION_KEY: KEY } });
  base = (await dev.waitFor(/Tender dev host on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  await dev.waitFor(/^Ready\./m);
  // The storefront's side of the same database: creates checkouts, never processes webhooks.
  shop = await createPaymentModule({
    databaseUrl: database.url,
    providers: providers(emulator),
    worker: false,
    logger: createLogger({ level: 'silent' }),
  });
});

afterAll(async () => {
  await dev?.stop('SIGKILL');
  await shop?.close();
  await emulator?.close();
  await project?.remove();
  await database?.drop();
});

describe('tender dev', () => {
  it('migrated the database and prints every webhook URL', () => {
    const out = dev.output();
    expect(out).toContain(`  pp_system_default        ${base}/hooks/payment/system_default`);
    expect(out).toContain(`  pp_stripe_stripe         ${base}/hooks/payment/stripe_stripe`);
    expect(out).toContain(`  pp_hmac_acme             ${base}/hooks/payment/hmac_acme`);
    expect(out).toMatch(/Database: postgresql:\/\/postgres:?\**@?127\.0\.0\.1/);
  });
});

describe('tender simulate against tender dev', () => {
  it('system: a signed payment.authorized is accepted and applied by the dev host', async () => {
    const session = await checkout('pp_system_default', '15.00', 'usd');
    const run = await cli(['simulate', 'system_default', 'payment.authorized', '--session', session.id, '--url', base]);
    expect(run.stdout).toContain(`→ POST ${base}/hooks/payment/system_default  payment.authorized for ${session.id}`);
    expect(run.stdout).toMatch(/← 200 accepted/);
    expect(run.code).toBe(0);
    await eventually(async () => expect(await sessionStatus(session.id)).toBe('authorized'));
    await dev.waitFor(new RegExp(`event payment\\.authorized .*${session.id}`));
  });

  it('stripe: a payment_intent.succeeded signed like Stripe signs it captures the session', async () => {
    const session = await checkout('pp_stripe_stripe', '12.00', 'usd');
    const intent = emulator.paymentIntentForSession(session.id)!;
    emulator.setPaymentIntentStatus(intent.id as string, 'succeeded');
    const run = await cli([
      'simulate',
      'pp_stripe_stripe',
      'payment_intent.succeeded',
      '--session',
      session.id,
      '--amount',
      '12.00',
      '--payment-id',
      intent.id as string,
      '--url',
      base,
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ status: 200, response: { outcome: 'accepted' } });
    await eventually(async () => expect(await sessionStatus(session.id)).toBe('captured'));
  });

  it('hmac: a payment.completed HMAC-signed with the configured secret captures the session', async () => {
    const session = await checkout('pp_hmac_acme', '7.50', 'eur');
    const run = await cli([
      'simulate',
      'hmac_acme',
      'payment.completed',
      '--session',
      session.id,
      '--amount',
      '7.50',
      '--url',
      base,
    ]);
    expect(run.code).toBe(0);
    await eventually(async () => expect(await sessionStatus(session.id)).toBe('captured'));
  });

  it('a delivery signed with another secret is refused with 401 and exit code 1, and changes nothing', async () => {
    const session = await checkout('pp_system_default', '3.00', 'usd');
    const run = await cli([
      'simulate',
      'system_default',
      'payment.captured',
      '--session',
      session.id,
      '--config',
      'forged.config.ts',
      '--url',
      base,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/← 401 unauthorized/);
    expect(await sessionStatus(session.id)).toBe('pending');
  });

  it('refuses an event the provider does not send, listing the ones it does', async () => {
    const run = await cli(['simulate', 'hmac_acme', 'payment.teleported', '--session', 'ps_x', '--url', base]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'pp_hmac_acme does not send "payment.teleported". Its events: payment.completed, payment.failed',
    );
  });

  it('says when no host is listening', async () => {
    const run = await cli([
      'simulate',
      'system_default',
      'payment.captured',
      '--session',
      'ps_x',
      '--amount',
      '1.00',
      '--url',
      'http://127.0.0.1:1',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Could not reach http://127.0.0.1:1/hooks/payment/system_default');
  });
});

describe('tender webhooks', () => {
  it('lists the inbox as a table and as JSON, filtered by provider', async () => {
    const table = await cli(['webhooks', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^id +received \(UTC\) +provider +tenant +event +action +status +attempts +reason \/ last error$/,
    );
    const rows = parseJson<any[]>(await cli(['webhooks', 'list', '--provider', 'system_default', '--json']));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.provider_id === 'pp_system_default')).toBe(true);
    expect(rows.some((r) => r.event_type === 'payment.authorized' && r.status === 'processed')).toBe(true);
  });

  it('shows one event with the body exactly as received, and replays it without a second payment', async () => {
    const session = await checkout('pp_system_default', '21.00', 'usd');
    await cli(['simulate', 'system_default', 'payment.captured', '--session', session.id, '--amount', '21.00', '--url', base]);
    await eventually(async () => expect(await sessionStatus(session.id)).toBe('captured'));
    const [row] = (await shop.webhooks.list({ provider: 'system_default' })).filter((r) => r.data?.session_id === session.id);

    const shown = await cli(['webhooks', 'show', row!.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`"data":{"session_id":"${session.id}","amount":"21.00","currency_code":"usd"}`);
    expect(shown.stdout).toMatch(/^ {2}x-tender-signature: t=\d+,v1=[0-9a-f]{64}$/m);
    const json = parseJson(await cli(['webhooks', 'show', row!.id, '--json']));
    expect(JSON.parse(json.raw_body)).toMatchObject({ type: 'payment.captured', data: { session_id: session.id } });

    const replayed = parseJson(await cli(['webhooks', 'replay', row!.id, '--json']));
    expect(replayed).toMatchObject({ id: row!.id, status: 'pending', attempts: 0 });
    // The dev host's worker picks it up again; the idempotent workflow leaves one payment and one capture.
    await eventually(async () =>
      expect(await shop.webhooks.retrieve(row!.id)).toMatchObject({ status: 'processed', attempts: 1 }),
    );
    const payments = await shop.service.listPayments({ payment_session_id: session.id });
    expect(payments).toHaveLength(1);
    expect(payments[0]!.captures.filter((c) => c.status === 'succeeded')).toHaveLength(1);
  });

  it('reads the inbox even when a provider of the config lacks its API keys (no provider is needed for it)', async () => {
    const run = await cli(['webhooks', 'list', '--json', '--config', 'nokeys.config.ts']);
    expect(run.code).toBe(0);
    expect(parseJson<any[]>(run).length).toBeGreaterThan(0);
    const providers = await cli(['providers', 'list', '--config', 'nokeys.config.ts']);
    expect(providers.code).toBe(1);
    expect(providers.stderr).toContain('apiKey is required');
  });

  it('shows why an event was ignored in the list, not only in `show`', async () => {
    const run = await cli([
      'simulate',
      'system_default',
      'payment.captured',
      '--session',
      'payses_nobody',
      '--amount',
      '1.00',
      '--url',
      base,
    ]);
    expect(run.code).toBe(0);
    await eventually(async () => {
      const table = await cli(['webhooks', 'list', '--status', 'ignored']);
      expect(table.stdout).toMatch(/ ignored +\d+ +payment session payses_nobody does not exist$/m);
    });
  });

  it('reports an unknown event id', async () => {
    const run = await cli(['webhooks', 'replay', 'whevt_nope']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('tender: Webhook event whevt_nope was not found. (not_found)\n');
  });
});

describe('tender tenants', () => {
  const tenantSecret = 'whsec_tenant_acme_only';

  it('stores a tenant secret encrypted, lists it by name only, and the dev host verifies with it', async () => {
    const set = await cli(
      ['tenants', 'set', 'acme', 'stripe_stripe', '--secret', `webhookSecret=${tenantSecret}`, '--option', 'capture=true'],
      { TENDER_ENCRYPTION_KEY: KEY },
    );
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain(tenantSecret);
    const listed = parseJson(await cli(['tenants', 'list', '--json'], { TENDER_ENCRYPTION_KEY: KEY }));
    expect(listed).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        provider_id: 'pp_stripe_stripe',
        options: { capture: true },
        secret_names: ['webhookSecret'],
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(tenantSecret);

    // On the tenant's route the module-level secret no longer verifies; the tenant's own secret does.
    const session = await checkout('pp_stripe_stripe', '5.00', 'usd');
    const moduleSigned = createStripeWebhook({
      secret: SECRETS.stripe,
      type: 'payment_intent.processing',
      object: { amount: 500, currency: 'usd', metadata: { session_id: session.id } },
    });
    expect((await send(`${base}/hooks/payment/stripe_stripe/acme`, moduleSigned)).status).toBe(401);
    const simulated = await cli(
      ['simulate', 'stripe_stripe', 'payment_intent.processing', '--session', session.id, '--tenant', 'acme', '--url', base],
      { TENDER_ENCRYPTION_KEY: KEY },
    );
    expect(simulated.stdout).toContain(`→ POST ${base}/hooks/payment/stripe_stripe/acme  payment_intent.processing`);
    expect(simulated.stdout).toMatch(/← 200 accepted/);
    expect(simulated.code).toBe(0);
    const [stored] = await shop.webhooks.list({ provider: 'stripe_stripe', tenant: 'acme' });
    expect(stored).toMatchObject({ tenant: 'acme', event_type: 'payment_intent.processing' });
  });

  it('rotates the encryption key, then removes the configuration', async () => {
    const rotated = parseJson(
      await cli(['tenants', 'rotate-key', '--json'], { TENDER_ENCRYPTION_KEY: NEW_KEY, TENDER_PREVIOUS_ENCRYPTION_KEYS: KEY }),
    );
    expect(rotated.rotated).toBe(1);
    const listed = parseJson(await cli(['tenants', 'list', '--json'], { TENDER_ENCRYPTION_KEY: NEW_KEY }));
    expect(listed[0].key_id).toBe(rotated.key_id);

    const removed = await cli(['tenants', 'remove', 'acme', 'pp_stripe_stripe'], { TENDER_ENCRYPTION_KEY: NEW_KEY });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe('Removed pp_stripe_stripe for tenant acme.\n');
    expect((await cli(['tenants', 'list'], { TENDER_ENCRYPTION_KEY: NEW_KEY })).stdout).toBe(
      'No tenant provider configurations stored.\n',
    );
    const again = await cli(['tenants', 'remove', 'acme', 'pp_stripe_stripe'], { TENDER_ENCRYPTION_KEY: NEW_KEY });
    expect(again.code).toBe(1);
  });
});

describe('stopping tender dev', () => {
  it('stops on SIGTERM with exit code 0', async () => {
    expect(await dev.stop('SIGTERM')).toBe(0);
    expect(dev.output()).toContain('SIGTERM: stopping.');
  });
});
