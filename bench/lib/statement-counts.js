import pg from 'pg';

/**
 * Counts, in this process, the statements every `pg` client sends (the module's pool, the cart store's, the
 * relay's and the inbox listener's): in all, and those that name `outbox_event` (the outbox rows written in the
 * pipeline's own statements, the relay's claims, delivery records, lease renewals and pruning). The driver is
 * counted rather than the server so the figure needs nothing loaded on the database. A parent process reads the
 * counts by sending `statement-counts` over IPC.
 */
export function countStatements() {
  const counts = { total: 0, outbox: 0 };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(config, ...rest) {
    const text = typeof config === 'string' ? config : config?.text;
    if (typeof text === 'string') {
      counts.total++;
      if (text.includes('outbox_event')) counts.outbox++;
    }
    return query.call(this, config, ...rest);
  };
  process.on('message', (message) => {
    if (message === 'statement-counts') process.send?.({ statementCounts: { ...counts } });
  });
}

/** The counts of every child (from `startChild`) added up. */
export async function statementCountsOf(children) {
  const counts = await Promise.all(children.map((child) => child.statementCounts()));
  return counts.reduce((sum, c) => ({ total: sum.total + c.total, outbox: sum.outbox + c.outbox }), { total: 0, outbox: 0 });
}
