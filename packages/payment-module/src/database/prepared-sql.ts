import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

/**
 * What the module's hand-written statements run on: a transaction of the ORM's (`em.execute`) or one of
 * `PreparedSql`. Statements use `?` placeholders; an array parameter is one PostgreSQL array (`= any(?)`).
 */
export interface SqlExecutor {
  execute<T = Record<string, unknown>[]>(sql: string, params?: readonly unknown[], method?: 'all' | 'run'): Promise<T>;
}

interface Prepared {
  /** Absent once the cache is full: the statement is then sent unnamed, parsed and planned each time. */
  name?: string;
  text: string;
}

/**
 * How many distinct statements get a name. Each named one stays prepared on every connection that ran it, for
 * the connection's life; batch statements differ by their row counts, so without a bound a long-lived pool
 * could hold thousands of plans per backend. The fixed statements of the hot paths are named long before
 * the bound is reached.
 */
export const MAX_NAMED_STATEMENTS = 256;

const prepared = new Map<string, Prepared>();
let named = 0;
const replanned = new Set<string>();

/**
 * Marks a statement to be planned on every call (sent unnamed): for the claims, whose best plan depends on
 * how many rows are due and how many dead versions the table holds right now. After five calls PostgreSQL
 * may keep a named statement's generic plan for the connection's life; in the bench, one a relay's connection
 * made while the outbox was new took 1.0–1.5 s a claim once the table had grown (the same claim planned
 * afresh: 7 ms), so the relay fell ever further behind. Planning a claim costs about 2 ms.
 */
export function planEachCall(sql: string): string {
  replanned.add(sql);
  return sql;
}

/**
 * The statement as the server prepares it: `?` numbered (`$1`, `$2`, …) and named by a digest of its text,
 * so each connection parses and plans it once and then only binds values. The module's statements hold no
 * `?` of their own (no literal, no jsonb `?` operator), which is what makes the numbering safe.
 */
function prepare(sql: string): Prepared {
  let statement = prepared.get(sql);
  if (!statement) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const name =
      named < MAX_NAMED_STATEMENTS && !replanned.has(sql)
        ? `tender_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
        : undefined;
    if (name) named++;
    statement = { name, text };
    prepared.set(sql, statement);
  }
  return statement;
}

async function run<T>(client: Pool | PoolClient, sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<T> {
  const { name, text } = prepare(sql);
  const result = await client.query<QueryResultRow>({ name, text, values: params as unknown[] });
  return (method === 'run' ? { affectedRows: result.rowCount ?? 0 } : result.rows) as T;
}

/**
 * Runs the module's hand-written statements as named prepared statements on the ORM's own connection pool
 * (so `poolSize` still bounds them). The ORM sends each statement with its values written into the text,
 * which PostgreSQL parses and plans on every call; for the CTEs of a checkout or a webhook's authorization the
 * plan costs more than the work. Entities (`em.map`) are unaffected: rows come back parsed by the same pool.
 */
export class PreparedSql implements SqlExecutor {
  private pool: Promise<Pool> | undefined;

  constructor(private readonly orm: MikroORM) {}

  private connection(): Promise<Pool> {
    this.pool ??= this.orm.em.getConnection().getNativeClient() as Promise<Pool>;
    return this.pool;
  }

  /** One statement, committed on its own. */
  async execute<T = Record<string, unknown>[]>(sql: string, params: readonly unknown[] = [], method: 'all' | 'run' = 'all') {
    return run<T>(await this.connection(), sql, params, method);
  }

  /** `work` in one transaction on one connection; rolled back if it throws. */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await (await this.connection()).connect();
    let broken: unknown;
    try {
      await client.query('begin').catch((error: unknown) => {
        broken = error;
        throw error;
      });
      const tx: SqlExecutor = {
        execute: <R>(sql: string, params: readonly unknown[] = [], method: 'all' | 'run' = 'all') =>
          run<R>(client, sql, params, method),
      };
      try {
        const result = await work(tx);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      }
    } finally {
      // A connection whose BEGIN or ROLLBACK failed is in an unknown state: the pool drops it instead of reusing it.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

const perOrm = new WeakMap<MikroORM, PreparedSql>();

/** The module's one `PreparedSql` for `orm` (its pool, and the statements prepared on it). */
export function preparedSqlFor(orm: MikroORM): PreparedSql {
  let sql = perOrm.get(orm);
  if (!sql) {
    sql = new PreparedSql(orm);
    perOrm.set(orm, sql);
  }
  return sql;
}
