import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import pg from 'pg';
import { preparedSqlFor } from '../src/database/prepared-sql.js';
import { RENEW_OUTBOX_LEASES_SQL } from '../src/sql/outbox-event.js';
import { RENEW_LEASES_SQL } from '../src/sql/webhook-event.js';

// A heartbeat's renewal runs beside the statements that finish the same rows (the relay's delivery record, the
// worker's outcome). Waiting for a row another statement holds, while that statement waited for a row the
// renewal had already locked, was a deadlock (seen in the bench). A renewal skips the rows locked right now.

let payments: TestPaymentModule;
let other: pg.Client;

beforeAll(async () => {
  payments = await createTestPaymentModule({ worker: false });
  other = new pg.Client({ connectionString: payments.databaseUrl });
  await other.connect();
});
afterAll(async () => {
  await other?.end();
  await payments?.close();
});

const cases = [
  {
    table: 'outbox_event',
    renew: RENEW_OUTBOX_LEASES_SQL,
    insert: `insert into outbox_event (id, name, payload, status, locked_by, locked_until)
             select 'oevt_lease_' || g, 'test.lease', '{}', 'processing', 'holder', now() + interval '1 second'
               from generate_series(1, 3) g`,
    held: 'oevt_lease_2',
  },
  {
    table: 'webhook_event',
    renew: RENEW_LEASES_SQL,
    insert: `insert into webhook_event (id, provider_id, event_id, action, method, raw_body, headers, status, attempts, locked_by, locked_until)
             select 'whev_lease_' || g, 'pp_system_default', 'evt_lease_' || g, 'authorized', 'POST', '\\x7b7d', '{}',
                    'processing', 1, 'holder', now() + interval '1 second'
               from generate_series(1, 3) g`,
    held: 'whev_lease_2',
  },
];

describe('lease renewal', () => {
  for (const { table, renew, insert, held } of cases) {
    it(`on ${table} renews the holder's rows without waiting for one another statement has locked`, async () => {
      await payments.orm.em.fork().execute(insert);
      await other.query('begin');
      await other.query(`select id from ${table} where id = $1 for update`, [held]);
      try {
        const renewal = preparedSqlFor(payments.orm).execute(renew, [60_000, 'holder'], 'run');
        const waited = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000));
        expect(await Promise.race([renewal, waited])).toEqual({ affectedRows: 2 });
      } finally {
        await other.query('rollback');
      }
      const rows = await payments.orm.em
        .fork()
        .execute<{ id: string; renewed: boolean }[]>(
          `select id, locked_until > now() + interval '30 seconds' as renewed from ${table} where locked_by = 'holder' order by id`,
        );
      expect(rows.map((r) => [r.id, r.renewed])).toEqual([
        [held.replace(/2$/, '1'), true],
        [held, false],
        [held.replace(/2$/, '3'), true],
      ]);
    });
  }
});
