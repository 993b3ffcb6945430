import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@tender/embedded-postgres';
import { createLogger, createPaymentModule, type PaymentModule } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import { SYSTEM_SECRET } from '../../support/app.js';
import {
  createCheckouts,
  deliver,
  emptySendStats,
  mapLimit,
  openPool,
  planDeliveries,
  readOutcome,
  report,
  runSeed,
  seededRandom,
  sleep,
  WorkerFleet,
  waitForSettled,
} from '../../support/reliability/harness.js';
import { type RunningServer, serveWebhooks } from '../../support/servers.js';

const SESSIONS = 200;

let postgres: EmbeddedDatabase;
let payments: PaymentModule;
let carts: PostgresCartStore;
let server: RunningServer;
let fleet: WorkerFleet;
let db: ReturnType<typeof openPool>;

beforeAll(async () => {
  // A PostgreSQL of this test's own: restarting the shared one would break the other test files.
  postgres = await startEmbeddedPostgres();
  payments = await createPaymentModule({
    databaseUrl: postgres.url,
    migrate: true,
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SYSTEM_SECRET] } }],
    workflow: processPaymentWorkflow,
    worker: false,
    logger: createLogger({ level: 'silent' }),
  });
  carts = new PostgresCartStore(postgres.url);
  await carts.migrate();
  server = await serveWebhooks('node', payments);
  db = openPool(postgres.url);
}, 120_000);

afterAll(async () => {
  await fleet?.stopAll();
  await server?.close();
  await db?.end();
  await carts?.close();
  await payments?.close();
  await postgres?.stop();
});

describe('reliability: PostgreSQL restarted during a run', () => {
  it('answers 503 while it is down; the providers’ retries succeed and the result is the same', async () => {
    const seed = runSeed();
    const random = seededRandom(seed);
    const started = Date.now();
    const sessions = await createCheckouts(payments.service, carts, SESSIONS, random);
    const deliveries = planDeliveries(sessions, random);
    fleet = new WorkerFleet({
      DATABASE_URL: postgres.url,
      SYSTEM_SECRET,
      LEASE_MS: '1500',
      POLL_MS: '50',
    });
    await fleet.spawnMany(2);

    const url = `${server.url}/hooks/payment/system_default`;
    const stats = emptySendStats();
    const windowMs = 6000;
    const t0 = Date.now();
    let restartedAt = 0;
    let downMs = 0;
    const restart = (async () => {
      await sleep(2000);
      restartedAt = Date.now() - t0;
      await postgres.restart(1500);
      downMs = Date.now() - t0 - restartedAt;
    })();
    const perDelivery = windowMs / deliveries.length;
    await mapLimit(deliveries, 32, async (d, i) => {
      await sleep(Math.max(0, t0 + i * perDelivery - Date.now()));
      await deliver(url, SYSTEM_SECRET, d, stats, { maxAttempts: 15, baseDelayMs: 100 });
    });
    await restart;
    const distinct = new Set(deliveries.map((d) => d.eventId));
    const inbox = await waitForSettled(db, distinct.size, 120_000, fleet);
    const outcome = await readOutcome(db, sessions, distinct);

    report(`PostgreSQL restart (seed ${seed})`, {
      sessions: sessions.length,
      'events sent': stats.sent,
      'distinct events': distinct.size,
      'duplicates sent': deliveries.filter((d) => d.duplicate).length,
      'restart at (ms)': restartedAt,
      'down for (ms)': downMs,
      '503 answers': stats.status503,
      'other 5xx answers': stats.status5xx - stats.status503,
      'retries (5xx or conn.)': stats.retried,
      'rejected inputs': stats.rejected,
      'worker crashes': fleet.unexpectedExits.length,
      'inbox rows': outcome.inboxRows,
      'processed/ignored': inbox.settled,
      payments: outcome.payments,
      'succeeded captures': outcome.captures,
      orders: outcome.orders,
      lost: outcome.lost.length,
      ...outcome.domainEvents,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(stats.status503).toBeGreaterThan(0);
    expect(stats.status5xx).toBe(stats.status503);
    expect(fleet.unexpectedExits).toEqual([]);
    expect(stats.rejected).toBe(0);
    expect(stats.failedForGood).toBe(0);
    // Not `accepted === distinct`: a commit whose acknowledgement the restart cut off is answered 503, and the
    // retry then (rightly) finds it stored and answers `duplicate`.
    expect(stats.accepted + stats.duplicates).toBe(deliveries.length);
    expect(outcome.inboxRows).toBe(distinct.size);
    expect(inbox.dead).toBe(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.unsettledRows).toBe(0);
    expect(outcome.wrong).toEqual([]);
    expect(outcome.payments).toBe(SESSIONS);
    expect(outcome.captures).toBe(SESSIONS);
    expect(outcome.orders).toBe(SESSIONS);
    expect(outcome.completedCollections).toBe(SESSIONS);
    expect(outcome.eventsWrong).toEqual([]);
  }, 240_000);
});
