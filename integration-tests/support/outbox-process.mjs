// A worker process for the outbox crash tests: `startWorker()` with the system provider, the reference cart
// store and two subscribers ('ship', 'ledger') that record each delivery in `test_delivery`, so the test sees
// every acknowledgement across processes. RELAY=0 runs no relay (events commit, nothing is delivered);
// HOLD_DELIVERY=1 makes 'ship' hang before it acknowledges (the relay holds its claims); HOLD_EVENT=1 hangs
// the webhook mid-event (the worker holds its claim); SLOW_EVENT_MS makes each webhook take that long.
import { createLogger, startWorker } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import pg from 'pg';

const env = process.env;
const databaseUrl = env.DATABASE_URL;
const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const leaseMs = Number(env.LEASE_MS ?? 2000);
const slowMs = Number(env.SLOW_EVENT_MS ?? 0);
const hold = async ({ input }) => {
  process.stdout.write(`IN_FLIGHT ${input.event_id}\n`);
  await new Promise((resolve) => (env.HOLD_EVENT === '1' ? undefined : setTimeout(resolve, slowMs)));
};
const { module } = await startWorker({
  databaseUrl,
  providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [env.SYSTEM_SECRET] } }],
  workflow: processPaymentWorkflow,
  cart: new PostgresCartStore(databaseUrl),
  afterPaymentHook: env.HOLD_EVENT === '1' || slowMs > 0 ? hold : undefined,
  worker: { leaseMs, pollIntervalMs: 50, baseDelayMs: 50, maxDelayMs: 500 },
  outbox: { relay: env.RELAY !== '0', leaseMs, pollIntervalMs: 50, baseDelayMs: 50, maxDelayMs: 500 },
  logger: createLogger({ level: env.WORKER_LOG_LEVEL ?? 'silent' }),
});

const record = (subscriber) => async (event) => {
  if (subscriber === 'ship' && env.HOLD_DELIVERY === '1') {
    process.stdout.write(`HOLDING ${event.id}\n`);
    await new Promise(() => {});
  }
  await db.query('insert into test_delivery (subscriber, event_id, name, collection, pid) values ($1, $2, $3, $4, $5)', [
    subscriber,
    event.id,
    event.name,
    event.payment_collection_id,
    process.pid,
  ]);
};
module.events.subscribe('*', record('ship'), { name: 'ship' });
module.events.subscribe('*', record('ledger'), { name: 'ledger' });

process.stdout.write(`READY ${module.worker.id}\n`);
