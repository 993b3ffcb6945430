import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { createStripeWebhook, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';
import { readmeCodeBlock } from '../../support/cli/readme.js';
import { createProjectDir, type ProjectDir, runCli, runNode } from '../../support/cli/run-cli.js';

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

/** Runs `file`'s handler on a signed Stripe delivery, the same again and a forged one, and checks the answers. */
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
  const run = await runNode('drive.js', [`./${file}`, exportName], {
    cwd: project.path,
    env: { DATABASE_URL: database.url, STRIPE_API_KEY: TEST_API_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
  });
  if (run.code !== 0) throw new Error(`${file} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  const answers = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  // Accepted once, then a duplicate of it, and the forged delivery refused.
  expect(answers).toEqual([
    { status: 200, body: { received: true, outcome: 'accepted', event_id: webhook.event.id } },
    { status: 200, body: { received: true, outcome: 'duplicate', event_id: webhook.event.id } },
    expect.objectContaining({ status: 401 }),
  ]);
}

describe("the README's Fetch-API examples, run as written", () => {
  it('the Hono app acknowledges a signed Stripe webhook once, then as a duplicate, and refuses a forged one', async () => {
    await drive('hono-app.js', 'app');
  }, 60_000);

  it("the Next.js route's POST does the same", async () => {
    await drive('next-route.js', 'POST');
  }, 60_000);
});
