import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createStripeWebhook,
  type StripeEmulator,
  startStripeEmulator,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
} from '@tender/provider-stripe/testing';
import { eventually, send } from '../support/app.js';
import { freePort, readmeCodeBlock } from '../support/cli/readme.js';
import { REPO_ROOT } from '../support/cli/run-cli.js';
import { packWorkspaces, readmeInstallLines, run, seedLockfile } from '../support/packaging/project.js';

// What a host gets: every workspace packed as it would be published, installed from the tarballs into an
// empty project outside the repository (a private temp dir, with a space in its name), with no registry.
// `npm test` builds the packages first.

let root: string;
let project: string;
let tarballs: Map<string, string>;
const installed = new Set<string>();
const env = () => {
  const { DATABASE_URL: _db, PORT: _port, ...rest } = process.env;
  // The project's `tender` and `node`: the Node running this test (22), as a host's PATH would give.
  return { ...rest, PATH: `${dirname(process.execPath)}:${rest.PATH}`, TENDER_LOG_LEVEL: 'silent' };
};

async function install(lines: ReturnType<typeof readmeInstallLines>, manifest: Record<string, any>) {
  for (const { dev, packages, others } of lines) {
    const key = dev ? 'devDependencies' : 'dependencies';
    manifest[key] ??= {};
    const section = manifest[key];
    for (const name of packages) {
      const file = tarballs.get(name);
      if (!file) throw new Error(`The README installs ${name}, which npm pack did not produce.`);
      section[name] = `file:${join(root, 'tarballs', file)}`;
      installed.add(name);
    }
    for (const name of others) section[name] = '*';
  }
  await seedLockfile(project, manifest);
  const result = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], {
    cwd: project,
    env: env(),
    timeoutMs: 120_000,
  });
  if (result.code !== 0) throw new Error(`npm install --offline failed:\n${result.output}`);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tender-packaging-'));
  project = join(root, 'my shop');
  await mkdir(project);
  tarballs = await packWorkspaces(join(root, 'tarballs'));
  const manifest: Record<string, any> = {
    name: 'my-shop',
    private: true,
    type: 'module',
    // For the type check below: what a TypeScript host of the Express example has anyway.
    devDependencies: { '@types/express': '*', '@types/node': '*' },
  };
  const lines = readmeInstallLines();
  // The app's lines first: the Express example must run with exactly what they install.
  await install(lines.slice(0, -1), manifest);
  await install(lines.slice(-1), manifest);
}, 240_000);

const temporary: string[] = [];
afterAll(async () => {
  for (const dir of [root, ...temporary]) await rm(dir, { recursive: true, force: true });
});

const packageDir = (name: string) => join(project, 'node_modules', name);

describe('the published packages', () => {
  it('the README installs every package a host can use, and npm pack made one for each', () => {
    const hostPackages = [...tarballs.keys()].filter((name) => name !== '@tender/provider-testkit');
    expect([...installed].sort()).toEqual(hostPackages.sort());
  });

  it('each has its LICENSE, license field, engines, and source maps whose sources are shipped', () => {
    for (const name of installed) {
      const dir = packageDir(name);
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toContain('Copyright (c) 2026 Tender contributors');
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect({ name, license: manifest.license, node: manifest.engines?.node }).toEqual({
        name,
        license: 'MIT',
        node: '>=22.17',
      });
      const maps = readdirSync(join(dir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(join(dir, 'dist', map), 'utf8')) as { sources: string[] };
        for (const source of sources) expect(existsSync(resolve(dir, 'dist', dirname(map), source))).toBe(true);
      }
    }
  });

  it('the declarations type-check with skipLibCheck: false, without the optional peers', async () => {
    expect(existsSync(packageDir('fastify'))).toBe(false);
    // Every entry point of every package: `@tender/x` and its subpaths (`@tender/x/testing`).
    const entries = [...installed].flatMap((name) => {
      const { exports } = JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8'));
      return Object.keys(exports).map((subpath) => `${name}${subpath.slice(1)}`);
    });
    const imports = entries.map((entry, i) => `import type * as p${i} from '${entry}';`);
    const all = entries.map((_, i) => `typeof p${i}`).join(', ');
    await writeFile(join(project, 'all-packages.mts'), `${imports.join('\n')}\nexport type All = [${all}];\n`);
    await writeFile(join(project, 'express-app.mts'), readmeCodeBlock('express-app'));
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          // esnext: MikroORM's declarations name the Temporal API.
          lib: ['esnext'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          types: ['node'],
          strict: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ['all-packages.mts', 'express-app.mts'],
      }),
    );
    const tsc = await run(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: project, timeoutMs: 60_000 });
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
  });
});

describe("the README's Express example, from the tarballs, on the embedded database", () => {
  let emulator: StripeEmulator;
  let app: ChildProcess | undefined;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
  });
  afterAll(async () => {
    app?.kill('SIGKILL');
    await emulator?.close();
  });

  it('takes a checkout, captures it from one signed webhook, places one order, and on SIGTERM exits 0 leaving nothing', async () => {
    // A temp dir of its own, to see what the app leaves there (other test files use the shared one at the
    // same time); readable by all as /tmp is, for root's postgres.
    const appTmp = await mkdtemp(join(tmpdir(), 'tender-packaging-tmp-'));
    await chmod(appTmp, 0o755);
    temporary.push(appTmp);
    const port = await freePort();
    app = spawn(process.execPath, ['express-app.mts'], {
      cwd: project,
      env: {
        ...env(),
        TENDER_LOG_LEVEL: 'info', // to see that the embedded PostgreSQL started
        TMPDIR: appTmp,
        PORT: String(port),
        STRIPE_API_KEY: TEST_API_KEY,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STRIPE_API_HOST: emulator.options.apiHost,
        STRIPE_API_PORT: String(emulator.options.apiPort),
        STRIPE_API_PROTOCOL: emulator.options.apiProtocol,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    app.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    app.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((done) => app!.once('exit', (code) => done(code)));
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      if (app!.exitCode !== null) throw new Error(`the app exited (${app!.exitCode}):\n${output}`);
      expect(output).toContain(`listening on ${base}`);
    }, 60_000);
    expect(output).toContain('started embedded PostgreSQL');

    const checkout = await fetch(`${base}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '20.00', currency_code: 'usd' }),
    });
    const { cart_id, session_id } = (await checkout.json()) as { cart_id: string; session_id: string };
    const intent = emulator.paymentIntentForSession(session_id)!;
    emulator.setPaymentIntentStatus(intent.id as string, 'succeeded');
    const webhook = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.succeeded',
      object: emulator.paymentIntent(intent.id as string),
    });
    expect(await send(`${base}/hooks/payment/stripe_stripe`, webhook)).toMatchObject({
      status: 200,
      body: { outcome: 'accepted' },
    });
    await eventually(async () => expect(output).toMatch(new RegExp(`order placed: order_\\S+ \\(cart ${cart_id}\\)`)), 30_000);
    expect(output).toMatch(/payment captured: pay_\w+ 20 \(collection pay_col_\w+\)/);

    app.kill('SIGTERM');
    expect(await exited).toBe(0);
    app = undefined;
    expect(readdirSync(appTmp).filter((name) => name.startsWith('tender-pg-'))).toEqual([]);
  }, 90_000);
});

describe('the installed tender command', () => {
  const tender = (args: string[], extra: Record<string, string> = {}) =>
    run(join(project, 'node_modules/.bin/tender'), args, { cwd: project, env: { ...env(), ...extra } });

  it('--help lists the commands', async () => {
    const help = await tender(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['demo', 'dev', 'migrate', 'webhooks', 'providers', 'simulate', 'tenants']) {
      expect(help.output).toMatch(new RegExp(`^ +${command} `, 'm'));
    }
  });

  it("providers list reads the README's tender.config.ts", async () => {
    await writeFile(join(project, 'tender.config.ts'), readmeCodeBlock('tender-config'));
    const list = await tender(['providers', 'list', '--json'], {
      STRIPE_API_KEY: 'sk_test_packaging',
      STRIPE_WEBHOOK_SECRET: 'whsec_packaging_0123456789abcdef',
    });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.output).map((p: { webhook_url: string }) => p.webhook_url)).toEqual([
      'http://127.0.0.1:9000/hooks/payment/system_default',
      'http://127.0.0.1:9000/hooks/payment/stripe_stripe',
    ]);
  });
});
