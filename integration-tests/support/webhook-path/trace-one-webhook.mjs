// Which of the project's source files run for one webhook: a Stripe `payment_intent.succeeded` through the
// node adapter, from the request to the committed order, on the built packages. A few webhooks first load
// the code and take the first-time paths; then each traced webhook runs under V8's precise coverage, and
// the files with a function that ran are printed (as `packages/…/src/….ts`), one JSON array per webhook.
// The Stripe emulator's own files (`src/testing/`) are left out: they stand in for Stripe.
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { createNodeListener } from '@tender/http';
import { createLogger, createPaymentModule } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { StripeProvider } from '@tender/provider-stripe';
import { createStripeWebhook, startStripeEmulator, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';
import { PostgresCartStore } from '@tender/reference-cart';

const WARM_UP = 3;
const TRACED = Number(process.env.TRACED ?? 3);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const databaseUrl = process.env.DATABASE_URL;

const emulator = await startStripeEmulator();
const carts = new PostgresCartStore();
const payments = await createPaymentModule({
  databaseUrl,
  migrate: true,
  cart: carts,
  workflow: processPaymentWorkflow,
  logger: createLogger({ level: 'silent' }),
  providers: [
    {
      resolve: StripeProvider,
      id: 'stripe',
      options: { apiKey: TEST_API_KEY, webhookSecret: TEST_WEBHOOK_SECRET, ...emulator.options },
    },
  ],
});
await carts.open(databaseUrl);
const server = createServer(createNodeListener(payments));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const route = `http://127.0.0.1:${server.address().port}/hooks/payment/stripe_stripe`;

/** A checkout whose PaymentIntent has succeeded at Stripe, and Stripe's webhook saying so (not yet sent). */
async function checkout() {
  const collection = await payments.service.createPaymentCollections({ currency_code: 'usd', amount: '10.00' });
  const session = await payments.service.createPaymentSession(collection.id, {
    provider_id: 'pp_stripe_stripe',
    amount: '10.00',
    currency_code: 'usd',
  });
  const cart = await carts.createCart(collection.id);
  const intent = emulator.setPaymentIntentStatus(emulator.paymentIntentForSession(session.id).id, 'succeeded');
  const webhook = createStripeWebhook({ secret: TEST_WEBHOOK_SECRET, type: 'payment_intent.succeeded', object: intent });
  return { cart, webhook };
}

/** Sends the webhook and waits for the order its cart became. */
async function deliver({ cart, webhook }) {
  const response = await fetch(route, { method: 'POST', headers: webhook.headers, body: webhook.rawBody });
  if (response.status !== 200) throw new Error(`the webhook got ${response.status}: ${await response.text()}`);
  for (let i = 0; i < 1000; i++) {
    if ((await carts.retrieveCart(cart.id))?.order_id) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the webhook was stored but its cart was never completed');
}

/** The project's source files with a function that ran since the last call. */
async function filesThatRan(session) {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const files = new Set();
  for (const script of result) {
    if (!script.url.startsWith('file://')) continue;
    const path = fileURLToPath(script.url);
    if (!path.startsWith(root) || path.includes('/node_modules/') || !path.includes('/dist/')) continue;
    if (!script.functions.some((f) => f.functionName && f.ranges[0].count > 0)) continue;
    const source = path.slice(root.length).replace('/dist/', '/src/').replace(/\.js$/, '.ts');
    if (!source.includes('/src/testing/')) files.add(source);
  }
  return [...files].sort();
}

for (let i = 0; i < WARM_UP; i++) await deliver(await checkout());
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
for (let i = 0; i < TRACED; i++) {
  const next = await checkout();
  await filesThatRan(session); // resets the counts: the checkout's own calls are not the webhook's
  await deliver(next);
  process.stdout.write(`${JSON.stringify(await filesThatRan(session))}\n`);
}
await payments.close();
await carts.close();
server.close();
await emulator.close();
