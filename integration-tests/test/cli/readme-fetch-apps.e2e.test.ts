import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { createStripeWebhook, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';
import { readmeCodeBlock } from '../../support/cli/readme.js';
import { cliEnv, createProjectDir, type ProjectDir, runCli } from '../../support/cli/run-cli.js';

/**
 * The README's Fetch-API blocks (the shared payments module, Hono, Next.js), run as written in an ESM project.
 * Two additions, both outside the blocks' own text: the Hono app is exported (the README leaves serving it to
 * the reader), and Next's `@/` path alias is spelled as the relative path Next would resolve it to.
 */
const DRIVER = `
import { readFileSync } from 'node:fs';
const [file, exportName] = process.argv.slice(2);
const route = await import(file);
const handle = exportName === 'app' ? (request) => route.app.fetch(request) : route[exportName];
const out = [];
for (const d of JSON.parse(readFileSync('deliveries.json', 'utf8'))) {
  const response = await handle(
    new Request('http://localhost' + d.path, { method: 'POST', headers: d.headers, body: Buffer.from(d.body, 'base64') }),
  );
  out.push({ status: response.status, body: await response.json() });
}
console.log(JSON.stringify(out));
const { payments } = await import('./lib/payments.js');
await payments.close();
`;

let project: ProjectDir;
let database: TestDatabase;

beforeAll(async () => {
  project = await createProjectDir();
  database = await createTestDatabase();
  // The block leaves migrating to `tender migrate` (the Express example passes `migrate: true` instead).
  const migrate = await runCli(['migrate', '--database-url', database.url], { cwd: project.path });
  expect(migrate.code).toBe(0);
  await project.write('package.json', JSON.stringify({ type: 'module' }));
  await mkdir(`${project.path}/lib`);
  await project.write('lib/payments.js', readmeCodeBlock('fetch-payments'));
  await project.write('hono-app.js', `${readmeCodeBlock('hono-app')}export { app };\n`);
  await project.write(
    'next-route.js',
    readmeCodeBlock('next-route').replace("from '@/lib/payments'", "from './lib/payments.js'"),
  );
  await project.write('drive.js', DRIVER);
});

afterAll(async () => {
  await project?.remove();
  await database?.drop();
});

/** Runs `file`'s handler on a signed Stripe delivery, the same again, and a forged one. */
async function drive(file: string, exportName: string) {
  const object = { id: `pi_readme_${exportName}`, amount: 1500, metadata: { session_id: 'payses_readme' } };
  const webhook = createStripeWebhook({ secret: TEST_WEBHOOK_SECRET, type: 'payment_intent.succeeded', object });
  const forged = createStripeWebhook({ secret: 'whsec_forged', type: 'payment_intent.succeeded', object });
  const delivery = (w: typeof webhook) => ({
    path: '/hooks/payment/stripe_stripe',
    headers: w.headers,
    body: w.rawBody.toString('base64'),
  });
  await project.write('deliveries.json', JSON.stringify([delivery(webhook), delivery(webhook), delivery(forged)]));
  const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['drive.js', `./${file}`, exportName], {
      cwd: project.path,
      env: cliEnv({ DATABASE_URL: database.url, STRIPE_API_KEY: TEST_API_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET }),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
  if (run.code !== 0) throw new Error(`${file} exited ${run.code}:\n${run.out}\n${run.err}`);
  return { event: webhook.event.id, answers: JSON.parse(run.out.trim().split('\n').at(-1)!) };
}

describe("the README's Fetch-API examples, run as written", () => {
  it('the Hono app acknowledges a signed Stripe webhook once, then as a duplicate, and refuses a forged one', async () => {
    const { event, answers } = await drive('hono-app.js', 'app');
    expect(answers).toEqual([
      { status: 200, body: { received: true, outcome: 'accepted', event_id: event } },
      { status: 200, body: { received: true, outcome: 'duplicate', event_id: event } },
      expect.objectContaining({ status: 401 }),
    ]);
  }, 60_000);

  it("the Next.js route's POST does the same", async () => {
    const { event, answers } = await drive('next-route.js', 'POST');
    expect(answers).toEqual([
      { status: 200, body: { received: true, outcome: 'accepted', event_id: event } },
      { status: 200, body: { received: true, outcome: 'duplicate', event_id: event } },
      expect.objectContaining({ status: 401 }),
    ]);
  }, 60_000);
});
