import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentEvents } from '@tender/payment-module';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { STRIPE_WEBHOOK_EVENT_TYPES } from '@tender/provider-stripe';
import {
  createStripeWebhook,
  type StripeEmulator,
  startStripeEmulator,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
} from '@tender/provider-stripe/testing';
import { SYSTEM_EVENT_ACTIONS } from '@tender/provider-system';
import pg from 'pg';
import { eventually, send } from '../../support/app.js';
import { freePort, normalizeMarkdown, README, readmeCodeBlock, readmeSection } from '../../support/cli/readme.js';
import { cliEnv, createProjectDir, type ProjectDir, REPO_ROOT, runCli } from '../../support/cli/run-cli.js';

let project: ProjectDir;
beforeAll(async () => {
  project = await createProjectDir();
});
afterAll(async () => {
  await project?.remove();
});

async function queryOne(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0];
  } finally {
    await client.end();
  }
}

describe("the README's Express example, run verbatim", () => {
  let database: TestDatabase;
  let emulator: StripeEmulator;
  let app: ChildProcess;
  let stdout = '';
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startStripeEmulator();
    const file = await project.write('express-app.mts', readmeCodeBlock('express-app'));
    const port = await freePort();
    app = spawn(process.execPath, [file], {
      cwd: project.path,
      env: cliEnv({
        DATABASE_URL: database.url,
        PORT: String(port),
        STRIPE_API_KEY: TEST_API_KEY,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STRIPE_API_HOST: emulator.options.apiHost,
        STRIPE_API_PORT: String(emulator.options.apiPort),
        STRIPE_API_PROTOCOL: emulator.options.apiProtocol,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    app.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    app.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    base = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      if (app.exitCode !== null) throw new Error(`the README app exited (${app.exitCode}):\n${stdout}\n${stderr}`);
      expect(stdout).toContain(`listening on ${base}`);
    }, 30_000);
  }, 40_000);

  afterAll(async () => {
    app?.kill('SIGKILL');
    await emulator?.close();
    await database?.drop();
  });

  it('opens a Stripe payment at /checkout, and a signed payment_intent.succeeded captures it once', async () => {
    const checkout = await fetch(`${base}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '20.00', currency_code: 'usd' }),
    });
    expect(checkout.status).toBe(200);
    const { cart_id, session_id, client_secret } = (await checkout.json()) as {
      cart_id: string;
      session_id: string;
      client_secret: string;
    };
    const intent = emulator.paymentIntentForSession(session_id)!;
    expect(intent).toMatchObject({ amount: 2000, currency: 'usd', client_secret });

    // The customer pays; Stripe then sends the event, signed with the endpoint secret.
    emulator.setPaymentIntentStatus(intent.id as string, 'succeeded');
    const webhook = createStripeWebhook({
      secret: TEST_WEBHOOK_SECRET,
      type: 'payment_intent.succeeded',
      object: emulator.paymentIntent(intent.id as string),
    });
    const first = await send(`${base}/hooks/payment/stripe_stripe`, webhook);
    expect(first).toEqual({ status: 200, body: { received: true, outcome: 'accepted', event_id: webhook.event.id } });

    // The amount is exact: a canonical decimal string.
    await eventually(async () => expect(stdout).toMatch(/payment captured: pay_\w+ 20 \(collection pay_col_\w+\)/));
    const session = await queryOne(database.url, 'select status from payment_session where id = $1', [session_id]);
    expect(session.status).toBe('captured');
    // The cart the checkout opened became one order.
    await eventually(async () => expect(stdout).toMatch(new RegExp(`order placed: order_\\S+ \\(cart ${cart_id}\\)`)));
    const cart = await queryOne(database.url, 'select order_id from cart where id = $1', [cart_id]);
    expect(await queryOne(database.url, 'select count(*)::int as n from "order" where cart_id = $1', [cart_id])).toEqual({
      n: 1,
    });
    expect(stdout).toContain(`order placed: ${cart.order_id} (cart ${cart_id})`);

    const again = await send(`${base}/hooks/payment/stripe_stripe`, webhook);
    expect(again.body.outcome).toBe('duplicate');
    const forged = createStripeWebhook({ secret: 'whsec_forged', type: 'payment_intent.succeeded', object: intent });
    expect((await send(`${base}/hooks/payment/stripe_stripe`, forged)).status).toBe(401);
    // The app's own JSON route still parses JSON (the webhook router did not swallow the body parser).
    expect(
      (
        await fetch(`${base}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"amount":"1.00","currency_code":"usd"}',
        })
      ).status,
    ).toBe(200);
    expect(stdout.match(/payment captured:/g)).toHaveLength(1);
  });

  it('on SIGTERM stops taking requests, closes the module and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    app.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe("the README's service example, run verbatim", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('prints exactly what its last comment says', async () => {
    const code = readmeCodeBlock('service-example');
    const promised = code.match(/console\.log\(.*\); \/\/ (.+)\n/)![1];
    const file = await project.write('service-example.mts', code);
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [file], {
        cwd: project.path,
        env: cliEnv({ DATABASE_URL: database.url, TENDER_LOG_LEVEL: 'silent' }),
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on('close', (exit) => resolve({ code: exit, out }));
    });
    expect(run.out).toBe(`${promised}\n`);
    expect(run.code).toBe(0);
  });
});

describe("the README's reference sections match the code", () => {
  it('provider options: the section is what `tender config-reference` generates from the zod schemas', async () => {
    const run = await runCli(['config-reference']);
    expect(run.code).toBe(0);
    expect(normalizeMarkdown(readmeSection('config-reference:providers'))).toBe(normalizeMarkdown(run.stdout));
  });

  it('module options: one row per option of PaymentModuleOptions, none missing, none invented', () => {
    const source = readFileSync(join(REPO_ROOT, 'packages/payment-module/src/module/options.ts'), 'utf8');
    const body = source.slice(source.indexOf('export interface PaymentModuleOptions'));
    const declared = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
    const documented = [...readmeSection('config-reference:module').matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(5);
    expect(documented).toEqual(declared);
  });

  it("provider table: Stripe's and the system provider's events are the ones the providers map", () => {
    const row = (name: string) => README.split('\n').find((line) => line.startsWith(`| ${name}`))!;
    const events = (line: string) => [...line.split('|')[4]!.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]);
    expect(events(row('Stripe '))).toEqual([...STRIPE_WEBHOOK_EVENT_TYPES]);
    expect(events(row('System '))).toEqual(Object.keys(SYSTEM_EVENT_ACTIONS));
  });

  it('the domain events list names every event the module declares', () => {
    const listed = [...readmeSection('domain-events').matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]);
    expect(listed).toEqual(Object.values(PaymentEvents));
  });

  it('the two one-line commands exist as npm scripts', () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
    expect(README).toContain('npm install && npm run demo');
    expect(README).toContain('npm install && npm test');
    expect(scripts.demo).toContain('node packages/cli/dist/bin.js demo');
    expect(scripts.test).toContain('jest');
    // The install section's first line: `npm run pack` writes the tarballs it installs from.
    expect(README).toContain('npm install && npm run pack');
    expect(scripts.pack).toContain('npm pack --workspace packages --workspace examples --pack-destination tarballs');
  });
});

/** Drives the README's provider through the real route: what a host registering it would see. */
const ACME_HARNESS = `import { createServer } from 'node:http';
import { hmacSha256 } from '@tender/core';
import { createNodeListener } from '@tender/http';
import { createLogger, createPaymentModule } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { AcmePaymentProvider } from './acme-provider.mts';

const secret = 'acme-webhook-secret-0123456789';
const payments = await createPaymentModule({
  databaseUrl: process.env.DATABASE_URL,
  migrate: true,
  providers: [{ resolve: AcmePaymentProvider, id: 'default', options: { webhookSecret: secret } }],
  workflow: processPaymentWorkflow,
  logger: createLogger({ level: 'silent' }),
});
const collection = await payments.service.createPaymentCollections({ currency_code: 'eur', amount: '30.00' });
const session = await payments.service.createPaymentSession(collection.id, { provider_id: 'pp_acme_default', amount: '30.00', currency_code: 'eur' });
const server = createServer(createNodeListener(payments));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port + '/hooks/payment/acme_default';
const body = Buffer.from(JSON.stringify({ id: 'acme_evt_1', status: 'paid', reference: session.id, amount: '30.00' }));
const post = async (signature) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-acme-signature': signature }, body })).status;
const statuses = [await post(hmacSha256(secret, body)), await post(hmacSha256(secret, body)), await post(hmacSha256('another-secret-0123456789', body))];
await payments.worker.whenIdle();
const after = await payments.service.retrievePaymentSession(session.id);
const paymentsMade = await payments.service.listPayments({ payment_session_id: session.id });
console.log(JSON.stringify({ statuses, session: after.status, payments: paymentsMade.length, captured: paymentsMade[0]?.captured_amount }));
server.close();
await payments.close();
`;

describe("packages/core/README.md's custom provider, run verbatim behind the webhook route", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('captures on a correctly signed event, acknowledges the duplicate, refuses a forged one', async () => {
    await project.write('acme-provider.mts', readmeCodeBlock('custom-provider', 'packages/core/README.md'));
    const harness = await project.write('acme-harness.mts', ACME_HARNESS);
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [harness], { cwd: project.path, env: cliEnv({ DATABASE_URL: database.url }) });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.on('close', () => resolve(text));
    });
    expect(JSON.parse(out.trim())).toEqual({ statuses: [200, 200, 401], session: 'captured', payments: 1, captured: '30' });
  });
});
