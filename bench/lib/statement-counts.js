import pg from 'pg';

/**
 * Statement counts from pg_stat_statements, where the server has it loaded: how many statements the pipeline
 * sent to the outbox per webhook (its inserts, the relay's claims, deliveries, lease renewals and pruning).
 * The embedded database is restarted once with the library preloaded; a DATABASE_URL server counts only if
 * its operator loaded it.
 */
export async function enableStatementCounts(embedded, url) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    if (embedded) {
      await pool.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
      await pool.end();
      await embedded.restart();
      return enableStatementCounts(undefined, url);
    }
    await pool.query('create extension if not exists pg_stat_statements');
    await pool.query('select pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  } finally {
    await pool.end().catch(() => {});
  }
}

/** Statements counted since the last reset in the database `pool` is connected to: in all, and those on the outbox. */
export async function statementCounts(pool) {
  const { rows } = await pool.query(
    `select coalesce(sum(calls), 0)::bigint as total,
            coalesce(sum(calls) filter (where query ilike '%outbox_event%'), 0)::bigint as outbox
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`,
  );
  return { total: Number(rows[0].total), outbox: Number(rows[0].outbox) };
}

export async function resetStatementCounts(pool) {
  await pool.query('select pg_stat_statements_reset()');
}
