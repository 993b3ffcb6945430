// The HTTP app under test, in its own process so the load generator does not share its event loop:
// the module, the system provider, the reference cart store and the node adapter on 127.0.0.1.
import { createServer } from 'node:http';
import { createNodeListener } from '@tender/http';
import { createLogger, createPaymentModule } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import { countStatements } from './statement-counts.js';
import { workerOptions } from './worker-options.js';

countStatements();

const env = process.env;
const databaseUrl = env.DATABASE_URL;
const inProcessWorker = env.BENCH_WORKER === 'in-process';
const carts = new PostgresCartStore(databaseUrl, { max: 10 });
const payments = await createPaymentModule({
  databaseUrl,
  providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [env.BENCH_SECRET] } }],
  workflow: processPaymentWorkflow,
  cart: carts,
  worker: inProcessWorker ? workerOptions : false,
  poolSize: Number(env.BENCH_POOL_SIZE ?? 20),
  logger: createLogger({ level: 'silent' }),
});
// With the in-process worker, the outbox is on here too: a named subscriber starts this process's relay.
if (inProcessWorker) payments.events.subscribe('*', () => {}, { name: 'bench' });
const server = createServer(createNodeListener(payments));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void payments
    .close()
    .then(() => carts.close())
    .then(() => process.exit(0));
});
