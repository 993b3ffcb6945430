import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger, createPaymentModule } from '@tender/payment-module';
import { SystemPaymentProvider } from '@tender/provider-system';
import { eventually } from '../../support/app.js';
import { type CliProcess, createProjectDir, type ProjectDir, runCli, startCli } from '../../support/cli/run-cli.js';

let project: ProjectDir;
const running: CliProcess[] = [];
beforeAll(async () => {
  project = await createProjectDir();
  // A project folder as a user's usually is: as root the database runs as `postgres`, which must reach it.
  await chmod(project.path, 0o755);
});
afterEach(async () => {
  for (const dev of running.splice(0)) await dev.stop('SIGKILL');
});
afterAll(async () => {
  await project?.remove();
});

/** `tender dev` in a project with no config and no database URL, until it is ready. */
async function startDev(args: string[] = [], cwd = project.path) {
  const dev = startCli(['dev', '--port', '0', ...args], { cwd });
  running.push(dev);
  const base = (await dev.waitFor(/Tender dev host on (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1]!;
  const [, url, where] = await dev.waitFor(/^Database: (postgresql:\/\/\S+) \((.+)\)$/m);
  const secret = (await dev.waitFor(/^System provider secret for this run \(no config file\): (\S+)$/m))[1]!;
  await dev.waitFor(/^Ready\./m);
  return { dev, base, url: url!, where: where!, secret };
}

/** The storefront's side: opens a checkout on the dev host's database, or reads one back. */
async function withShop<T>(
  url: string,
  secret: string,
  use: (shop: Awaited<ReturnType<typeof createPaymentModule>>) => Promise<T>,
) {
  const shop = await createPaymentModule({
    databaseUrl: url,
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }],
    worker: false,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    return await use(shop);
  } finally {
    await shop.close();
  }
}

describe('tender dev without a config or a database URL', () => {
  it('keeps its embedded database in .tender/pg across restarts, makes a new system secret per run, and --fresh starts over', async () => {
    const first = await startDev();
    expect(first.where).toBe('embedded, kept in .tender/pg between runs; --fresh starts it over');
    expect(first.dev.output()).toContain(
      `Send a signed test event: TENDER_SYSTEM_WEBHOOK_SECRET=${first.secret} tender simulate system_default <event>`,
    );
    const session = await withShop(first.url, first.secret, async (shop) => {
      const collection = await shop.service.createPaymentCollections({ currency_code: 'usd', amount: '9.00' });
      return shop.service.createPaymentSession(collection.id, {
        provider_id: 'pp_system_default',
        amount: '9.00',
        currency_code: 'usd',
      });
    });
    const simulate = (secret: string) =>
      runCli(
        ['simulate', 'system_default', 'payment.captured', '--session', session.id, '--amount', '9.00', '--url', first.base],
        {
          cwd: project.path,
          env: { TENDER_SYSTEM_WEBHOOK_SECRET: secret, DATABASE_URL: first.url },
        },
      );
    expect((await simulate('whsec_dev_a_secret_from_another_run')).stdout).toMatch(/← 401/);
    const accepted = await simulate(first.secret);
    expect(accepted.stdout).toMatch(/← 200 accepted/);
    await eventually(async () =>
      expect(await withShop(first.url, first.secret, (shop) => shop.service.retrievePaymentSession(session.id))).toMatchObject({
        status: 'captured',
      }),
    );
    expect(await first.dev.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(project.path, '.tender/pg/data/PG_VERSION'))).toBe(true);

    const second = await startDev();
    expect(second.secret).not.toBe(first.secret);
    const kept = await withShop(second.url, second.secret, (shop) => shop.service.retrievePaymentSession(session.id));
    expect(kept.status).toBe('captured');
    expect(await second.dev.stop('SIGINT')).toBe(0);

    const fresh = await startDev(['--fresh']);
    await expect(withShop(fresh.url, fresh.secret, (shop) => shop.service.retrievePaymentSession(session.id))).rejects.toThrow();
    expect(await fresh.dev.stop('SIGTERM')).toBe(0);
  }, 120_000);
});

const asRoot = process.getuid?.() === 0;

describe('tender dev as root in a private folder (what `mktemp -d` or /root gives)', () => {
  (asRoot ? it : it.skip)(
    'says why it cannot keep the data there and runs on a temporary database it removes',
    async () => {
      const parent = await mkdtemp(join(tmpdir(), 'tender-private-'));
      try {
        const dev = await startDev([], parent);
        expect(dev.where).toMatch(
          /^embedded, temporary: \S+\/tender-pg-\w+, deleted when this process stops; .*cannot reach .*\.tender\/pg/,
        );
        const home = dev.where.match(/^embedded, temporary: (\S+),/)![1]!;
        expect(existsSync(home)).toBe(true);
        expect(await dev.dev.stop('SIGTERM')).toBe(0);
        expect(await readdir(parent)).toEqual([]);
        expect(existsSync(home)).toBe(false);
      } finally {
        await rm(parent, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
