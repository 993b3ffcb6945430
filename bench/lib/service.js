/**
 * The `service` section: checkouts through PaymentModuleService alone (collection → session → authorize →
 * capture, the system provider, no webhook), one at a time and 16 in flight, each stated as a share of the
 * database's commit rate measured in the same round at the same concurrency. With BENCH_SERVICE_BASELINE set
 * to another checkout's root (built), its module runs in alternate rounds on a database of its own, so the two
 * are compared under the same machine load.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { measureCommits } from './commits.js';
import { forEachLimit } from './pool.js';
import { createCommitTables } from './seed.js';
import { median } from './stats.js';

const IN_FLIGHT = 16;

async function loadTree(root) {
  if (!root) {
    const [module, system] = await Promise.all([import('@tender/payment-module'), import('@tender/provider-system')]);
    return { label: 'this tree', module, system };
  }
  const load = (pkg) => import(pathToFileURL(`${root}/packages/${pkg}/dist/index.js`).href);
  return { label: root, module: await load('payment-module'), system: await load('provider-system') };
}

/** A migrated module of `tree` on a fresh database, and a raw pool on the same database for the commit rate. */
async function openTree(tree, createTestDatabase, databases) {
  const database = await createTestDatabase('tender_bench_service');
  databases.push(database);
  const payments = await tree.module.createPaymentModule({
    databaseUrl: database.url,
    migrate: true,
    worker: false,
    poolSize: IN_FLIGHT + 4,
    providers: [{ resolve: tree.system.SystemPaymentProvider, id: 'default' }],
    logger: tree.module.createLogger({ level: 'silent' }),
  });
  const pool = new pg.Pool({ connectionString: database.url, max: IN_FLIGHT + 4 });
  pool.on('error', () => {});
  await createCommitTables(pool);
  return { ...tree, payments, pool };
}

async function checkout(service) {
  const collection = await service.createPaymentCollections({ currency_code: 'usd', amount: '25.00' });
  const session = await service.createPaymentSession(collection.id, {
    provider_id: 'pp_system_default',
    amount: '25.00',
    currency_code: 'usd',
  });
  const payment = await service.authorizePaymentSession(session.id);
  await service.capturePayment({ payment_id: payment.id });
}

/** `n` checkouts at `concurrency`, then as many commits at the same concurrency: checkouts/s and the ratio. */
async function round(opened, n, concurrency) {
  const started = performance.now();
  await forEachLimit(n, concurrency, () => checkout(opened.payments.service));
  const perSecond = n / ((performance.now() - started) / 1000);
  const commits = await measureCommits(opened.pool, n * 4, concurrency);
  return { perSecond, commits, ratio: perSecond / commits };
}

export async function measureService({ repeats, checkouts, baseline, createTestDatabase, databases, log }) {
  const trees = [await loadTree(undefined)];
  if (baseline) trees.push(await loadTree(baseline));
  const opened = [];
  for (const tree of trees) opened.push(await openTree(tree, createTestDatabase, databases));
  const levels = [
    { name: 'sequential', concurrency: 1, n: checkouts },
    { name: `${IN_FLIGHT} in flight`, concurrency: IN_FLIGHT, n: checkouts * 4 },
  ];
  try {
    for (const o of opened) await round(o, Math.min(50, checkouts), IN_FLIGHT); // warm-up: JIT, pools, caches
    const results = [];
    for (const level of levels) {
      const runs = opened.map(() => []);
      // Alternating: this tree, the baseline, this tree, …, so both see the same drift in machine load.
      for (let r = 0; r < repeats; r++) {
        for (const [i, o] of opened.entries()) {
          const run = await round(o, level.n, level.concurrency);
          runs[i].push(run);
          log(
            `service ${level.name} [${o.label}] run ${r + 1}: ${run.perSecond.toFixed(1)} checkouts/s, ` +
              `DB ${run.commits.toFixed(0)} commits/s, ${(run.ratio * 100).toFixed(2)}%`,
          );
        }
      }
      results.push({
        level: level.name,
        concurrency: level.concurrency,
        checkouts: level.n,
        trees: opened.map((o, i) => ({
          tree: o.label,
          perSecond: median(runs[i].map((x) => x.perSecond)),
          commits: median(runs[i].map((x) => x.commits)),
          ratio: median(runs[i].map((x) => x.ratio)),
          runs: runs[i],
        })),
      });
    }
    return results;
  } finally {
    for (const o of opened) {
      await o.payments.close();
      await o.pool.end();
    }
  }
}
