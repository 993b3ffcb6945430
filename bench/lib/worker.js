// One webhook worker process, as `startWorker()` runs it in production (no HTTP).
import { createLogger, startWorker } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import { countStatements } from './statement-counts.js';
import { workerOptions } from './worker-options.js';

countStatements();

const env = process.env;
const databaseUrl = env.DATABASE_URL;
const carts = new PostgresCartStore(databaseUrl, { max: 10 });
const { module } = await startWorker({
  databaseUrl,
  providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [env.BENCH_SECRET] } }],
  workflow: processPaymentWorkflow,
  cart: carts,
  worker: workerOptions,
  logger: createLogger({ level: 'silent' }),
});
// The outbox is on: a named subscriber makes this process's relay deliver every domain event.
module.events.subscribe('*', () => {}, { name: 'bench' });
process.stdout.write(`READY ${module.worker.id}\n`);
