import { afterEach, describe, expect, it } from '@jest/globals';
import { SYSTEM_SECRET, startTestApp, type TestApp } from '../../support/app.js';
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

const SESSIONS = Number(process.env.RELIABILITY_SESSIONS ?? 1000);
/** The crash run is a second, smaller run (the first one already proves the 1,000-session result). */
const CRASH_SESSIONS = Number(process.env.RELIABILITY_CRASH_SESSIONS ?? 500);
const KILLS = 20;

let app: TestApp | undefined;
let fleet: WorkerFleet | undefined;
let db: ReturnType<typeof openPool> | undefined;

afterEach(async () => {
  await fleet?.stopAll();
  await db?.end();
  await app?.close();
  fleet = undefined;
  db = undefined;
  app = undefined;
});

async function setUp(seed: number, count: number) {
  const random = seededRandom(seed);
  // The HTTP app stores webhooks and runs no worker: the worker processes do all the processing.
  app = await startTestApp({ module: { worker: false } });
  db = openPool(app.payments.databaseUrl);
  const sessions = await createCheckouts(app.payments.service, app.carts, count, random);
  const deliveries = planDeliveries(sessions, random);
  fleet = new WorkerFleet({ DATABASE_URL: app.payments.databaseUrl, SYSTEM_SECRET, LEASE_MS: '1500', POLL_MS: '50' });
  return { random, sessions, deliveries, url: `${app.url}/hooks/payment/system_default` };
}

describe('reliability: 1,000 sessions × 5 deliveries over HTTP, two worker processes', () => {
  it('ends with one payment, one capture of the amount and one order per session, and loses nothing', async () => {
    const seed = runSeed();
    const started = Date.now();
    const { sessions, deliveries, url } = await setUp(seed, SESSIONS);
    await fleet!.spawnMany(2);
    const setUpDone = Date.now();

    const stats = emptySendStats();
    await mapLimit(deliveries, 64, (d) => deliver(url, SYSTEM_SECRET, d, stats));
    const sendDone = Date.now();
    const distinct = new Set(deliveries.map((d) => d.eventId));
    const inbox = await waitForSettled(db!, distinct.size, 300_000, fleet);
    const settled = Date.now();
    const outcome = await readOutcome(db!, sessions, distinct);

    report(`deliveries (seed ${seed})`, {
      sessions: sessions.length,
      'events sent': stats.sent,
      'distinct events': distinct.size,
      'duplicates sent': deliveries.filter((d) => d.duplicate).length,
      'answered duplicate': stats.duplicates,
      'rejected inputs': stats.rejected,
      'retried (5xx/conn)': stats.retried,
      'worker processes': fleet!.started,
      crashes: 0,
      'inbox rows': outcome.inboxRows,
      'processed/ignored': inbox.settled,
      payments: outcome.payments,
      'succeeded captures': outcome.captures,
      orders: outcome.orders,
      lost: outcome.lost.length,
      ...outcome.domainEvents,
      'set-up seconds': ((setUpDone - started) / 1000).toFixed(1),
      'sending seconds': ((sendDone - setUpDone) / 1000).toFixed(1),
      'settled after (s)': ((settled - setUpDone) / 1000).toFixed(1),
    });

    expect(fleet!.unexpectedExits).toEqual([]);
    expect(stats.rejected).toBe(0);
    expect(stats.failedForGood).toBe(0);
    expect(stats.accepted + stats.duplicates).toBe(deliveries.length);
    expect(stats.accepted).toBe(distinct.size);
    expect(inbox.dead).toBe(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.inboxRows).toBe(distinct.size);
    expect(outcome.unsettledRows).toBe(0);
    expect(outcome.sessions).toBe(SESSIONS);
    expect(outcome.wrong).toEqual([]);
    expect(outcome.payments).toBe(SESSIONS);
    expect(outcome.captures).toBe(SESSIONS);
    expect(outcome.orders).toBe(SESSIONS);
    expect(outcome.completedCollections).toBe(SESSIONS);
    // Each change's domain events committed with it: a worker killed after its commit loses none of them.
    expect(outcome.eventsWrong).toEqual([]);
  }, 420_000);

  it(`survives ${KILLS} SIGKILLs of a worker process at random points (${CRASH_SESSIONS} sessions × 5), with the same result`, async () => {
    const seed = runSeed();
    const started = Date.now();
    const { random, sessions, deliveries, url } = await setUp(seed, CRASH_SESSIONS);
    await fleet!.spawnMany(2);

    // The deliveries are spread over the time the kills take, so every kill lands while events are flowing.
    const windowMs = KILLS * 400;
    const killTimes = Array.from({ length: KILLS }, () => Math.floor(random() * windowMs)).sort((a, b) => a - b);
    const stats = emptySendStats();
    const t0 = Date.now();
    let killsWithWorkPending = 0;
    const killer = (async () => {
      for (const at of killTimes) {
        await sleep(Math.max(0, t0 + at - Date.now()));
        const { rows } = await db!.query<{ n: number }>(
          "select count(*)::int as n from webhook_event where status not in ('processed', 'ignored')",
        );
        if (rows[0]!.n > 0) killsWithWorkPending++;
        await fleet!.killOne(random);
        // A replacement, as a process supervisor would start; the dead worker's claims pass to a live one after the lease.
        await fleet!.spawn();
      }
    })();
    const perDelivery = windowMs / deliveries.length;
    await mapLimit(deliveries, 32, async (d, i) => {
      await sleep(Math.max(0, t0 + i * perDelivery - Date.now()));
      await deliver(url, SYSTEM_SECRET, d, stats);
    });
    await killer;
    const distinct = new Set(deliveries.map((d) => d.eventId));
    const inbox = await waitForSettled(db!, distinct.size, 300_000, fleet);
    const outcome = await readOutcome(db!, sessions, distinct);
    const { rows } = await db!.query<{ n: number }>('select count(*)::int as n from webhook_event where attempts > 1');

    report(`SIGKILLed workers (seed ${seed})`, {
      sessions: sessions.length,
      'events sent': stats.sent,
      'distinct events': distinct.size,
      'duplicates sent': deliveries.filter((d) => d.duplicate).length,
      'rejected inputs': stats.rejected,
      crashes: fleet!.kills,
      'crashes with work pending': killsWithWorkPending,
      'worker processes': fleet!.started,
      'events retried by a worker': rows[0]!.n,
      'inbox rows': outcome.inboxRows,
      'processed/ignored': inbox.settled,
      payments: outcome.payments,
      'succeeded captures': outcome.captures,
      orders: outcome.orders,
      lost: outcome.lost.length,
      ...outcome.domainEvents,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(fleet!.kills).toBe(KILLS);
    expect(outcome.sessions).toBe(CRASH_SESSIONS);
    expect(fleet!.unexpectedExits).toEqual([]);
    expect(stats.rejected).toBe(0);
    expect(stats.failedForGood).toBe(0);
    expect(stats.accepted).toBe(distinct.size);
    expect(inbox.dead).toBe(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.inboxRows).toBe(distinct.size);
    expect(outcome.unsettledRows).toBe(0);
    expect(outcome.wrong).toEqual([]);
    expect(outcome.payments).toBe(CRASH_SESSIONS);
    expect(outcome.captures).toBe(CRASH_SESSIONS);
    expect(outcome.orders).toBe(CRASH_SESSIONS);
    expect(outcome.completedCollections).toBe(CRASH_SESSIONS);
    // Each change's domain events committed with it: a worker killed after its commit loses none of them.
    expect(outcome.eventsWrong).toEqual([]);
  }, 420_000);
});
