// A webhook worker in its own process whose workflow stops mid-event (after the payment step, before
// the cart) and waits there, so a test can SIGKILL it at exactly that point.
import { createLogger, startWorker } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import { asValue } from 'awilix';

const databaseUrl = process.env.DATABASE_URL;
const carts = new PostgresCartStore(databaseUrl);
const { module } = await startWorker({
  databaseUrl,
  providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [process.env.SYSTEM_SECRET] } }],
  workflow: processPaymentWorkflow,
  cart: carts,
  worker: { leaseMs: Number(process.env.LEASE_MS ?? 1000), pollIntervalMs: 50 },
  logger: createLogger({ level: 'silent' }),
});
module.container.register({
  afterPaymentHook: asValue(async ({ input }) => {
    process.stdout.write(`IN_FLIGHT ${input.event_id}\n`);
    await new Promise(() => {});
  }),
});
process.stdout.write(`READY ${module.worker.id}\n`);
