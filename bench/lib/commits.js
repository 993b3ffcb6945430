import { performance } from 'node:perf_hooks';
import { forEachLimit } from './pool.js';

/**
 * The database's own commit rate: `count` pgbench-simple-update transactions at `concurrency`, raw `pg`
 * (tables from `createCommitTables`). Every section states its figures as a share of this.
 */
export async function measureCommits(pool, count, concurrency) {
  const started = performance.now();
  await forEachLimit(count, concurrency, async () => {
    const client = await pool.connect();
    try {
      const id = 1 + Math.floor(Math.random() * 100_000);
      const delta = Math.floor(Math.random() * 10_000) - 5000;
      await client.query('begin');
      await client.query('update bench_accounts set balance = balance + $1 where id = $2', [delta, id]);
      await client.query('select balance from bench_accounts where id = $1', [id]);
      await client.query('insert into bench_history (account_id, delta) values ($1, $2)', [id, delta]);
      await client.query('commit');
    } finally {
      client.release();
    }
  });
  return count / ((performance.now() - started) / 1000);
}
