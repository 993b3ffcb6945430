import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_NAMED_STATEMENTS, PreparedSql, planEachCall } from '../src/database/prepared-sql.js';
import { createTestPaymentModule, type TestPaymentModule } from '../src/testing/index.js';

let payments: TestPaymentModule;
let sql: PreparedSql;

beforeAll(async () => {
  payments = await createTestPaymentModule({ worker: false });
  sql = new PreparedSql(payments.orm);
});

afterAll(async () => {
  await payments?.close();
});

const PREPARED_ON_THIS_CONNECTION = "select name from pg_prepared_statements where name like 'tender_%'";

describe('PreparedSql', () => {
  it('sends a statement as a named prepared statement, planned once on the connection and bound after', async () => {
    const names = await sql.transaction(async (tx) => {
      expect(await tx.execute('select ?::int + ?::int as n', [2, 3])).toEqual([{ n: 5 }]);
      expect(await tx.execute('select ?::int + ?::int as n', [4, 5])).toEqual([{ n: 9 }]);
      return (await tx.execute<{ name: string }[]>(PREPARED_ON_THIS_CONNECTION)).map((r) => r.name);
    });
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^tender_[0-9a-f]{20}$/.test(n))).toBe(true);
  });

  it('sends a statement marked planEachCall unnamed, so each call is planned with the table as it is', async () => {
    const claim = planEachCall('select ?::int * 7 as n');
    const names = await sql.transaction(async (tx) => {
      const before = (await tx.execute<{ name: string }[]>(PREPARED_ON_THIS_CONNECTION)).map((r) => r.name);
      for (let i = 0; i < 7; i++) expect(await tx.execute(claim, [i])).toEqual([{ n: 7 * i }]);
      const after = (await tx.execute<{ name: string }[]>(PREPARED_ON_THIS_CONNECTION)).map((r) => r.name);
      return after.filter((n) => !before.includes(n));
    });
    expect(names).toEqual([]);
  });

  it('commits what the transaction wrote, and rolls all of it back when the work throws', async () => {
    await sql.execute('create table prepared_probe (id text primary key)');
    await sql.transaction((tx) => tx.execute('insert into prepared_probe values (?)', ['kept'], 'run'));
    await expect(
      sql.transaction(async (tx) => {
        await tx.execute('insert into prepared_probe values (?)', ['dropped'], 'run');
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await sql.execute('select id from prepared_probe order by id')).toEqual([{ id: 'kept' }]);
    // A statement the server refuses rolls back too, and the connection goes on serving.
    await expect(sql.transaction((tx) => tx.execute('insert into prepared_probe values (?)', ['kept']))).rejects.toMatchObject({
      code: '23505',
    });
    expect(await sql.execute<{ affectedRows: number }>('delete from prepared_probe', [], 'run')).toEqual({ affectedRows: 1 });
  });

  it('passes an array as one PostgreSQL array', async () => {
    expect(await sql.execute('select ? = any(?::text[]) as found', ['b', ['a', 'b']])).toEqual([{ found: true }]);
  });

  // Last: it uses up the names for the rest of this file.
  it('names at most MAX_NAMED_STATEMENTS distinct statements; the rest still run, unnamed', async () => {
    const prepared = await sql.transaction(async (tx) => {
      for (let i = 0; i < MAX_NAMED_STATEMENTS + 20; i++) {
        expect(await tx.execute(`select ?::int + ${i} as n`, [1])).toEqual([{ n: i + 1 }]);
      }
      return (await tx.execute<{ name: string }[]>(PREPARED_ON_THIS_CONNECTION)).length;
    });
    expect(prepared).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS);
    expect(prepared).toBeGreaterThan(MAX_NAMED_STATEMENTS / 2);
  });
});
