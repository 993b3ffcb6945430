// A webhook worker in its own process, as `startWorker()` runs it in production: no HTTP, the system
// provider and the reference cart store. The crash and reliability suites start these and SIGKILL them.
// HOLD_AFTER_PAYMENT=1 makes the workflow stop mid-event (payment recorded, cart not yet completed) and
// wait there, printing `IN_FLIGHT <event id>`, so a test can kill it at exactly that point.
import { createLogger, startWorker } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';

const databaseUrl = process.env.DATABASE_URL;
const carts = new PostgresCartStore(databaseUrl);
const hold = async ({ input }) => {
  process.stdout.write(`IN_FLIGHT ${input.event_id}\n`);
  await new Promise(() => {});
};
const { module } = await startWorker({
  databaseUrl,
  providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [process.env.SYSTEM_SECRET] } }],
  workflow: processPaymentWorkflow,
  cart: carts,
  afterPaymentHook: process.env.HOLD_AFTER_PAYMENT === '1' ? hold : undefined,
  worker: {
    leaseMs: Number(process.env.LEASE_MS ?? 1500),
    pollIntervalMs: Number(process.env.POLL_MS ?? 50),
    batchSize: Number(process.env.BATCH_SIZE ?? 10),
    baseDelayMs: 50,
    maxDelayMs: 500,
  },
  logger: createLogger({ level: process.env.WORKER_LOG_LEVEL ?? 'silent' }),
});
process.stdout.write(`READY ${module.worker.id}\n`);
