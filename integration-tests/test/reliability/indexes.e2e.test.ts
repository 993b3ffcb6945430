import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { PostgresCartStore } from '@tender/reference-cart';
import { openPool } from '../../support/reliability/harness.js';
import { seedHistory } from '../../support/reliability/seed.js';

const SEEDED = 12_000;

let payments: TestPaymentModule;
let carts: PostgresCartStore;
let db: ReturnType<typeof openPool>;

beforeAll(async () => {
  payments = await createTestPaymentModule({ worker: false });
  carts = new PostgresCartStore(payments.databaseUrl);
  await carts.migrate();
  db = openPool(payments.databaseUrl);
  await seedHistory(db, SEEDED);
  // A few events still due, and one whose worker died holding it: what the claim query looks for.
  await db.query(
    `insert into webhook_event (id, provider_id, event_id, action, method, raw_body, headers, status, next_attempt_at, locked_until)
     select 'whevt_due_' || i, 'pp_system_default', 'evt_due_' || i, 'captured', 'POST', '\\x7b7d'::bytea, '{}'::jsonb,
            case when i = 1 then 'processing' when i % 2 = 0 then 'failed' else 'pending' end,
            now() - interval '1 second', case when i = 1 then now() - interval '1 second' end
       from generate_series(1, 20) as i`,
  );
  await db.query('analyze');
}, 120_000);

afterAll(async () => {
  await db?.end();
  await carts?.close();
  await payments?.close();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function plan(sql: string, params: unknown[] = []): Promise<PlanNode[]> {
  const { rows } = await db.query(`explain (format json) ${sql}`, params);
  return nodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
}

/** The query reads `table` through an index, and nowhere by a sequential scan. */
function expectIndexed(planNodes: PlanNode[], table: string): string[] {
  const onTable = planNodes.filter((n) => n['Relation Name'] === table || n['Index Name']?.startsWith(table));
  expect(onTable.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  const indexes = onTable.filter((n) => /Index/.test(n['Node Type'])).map((n) => n['Index Name']!);
  expect(indexes.length).toBeGreaterThan(0);
  return indexes;
}

// The queries as the module sends them (MikroORM's SQL for the lookups; the worker's claim copied verbatim from
// packages/payment-module/src/webhooks/worker.ts, and the inbox's dedup lookup from webhooks/inbox.ts).
const CLAIM_SQL = `
update webhook_event w
   set status = 'processing', attempts = w.attempts + 1, locked_by = $1,
       locked_until = now() + ($2 * interval '1 millisecond'), updated_at = now()
 where w.id in (
   select id from webhook_event
    where (status in ('pending', 'failed') and next_attempt_at <= now())
       or (status = 'processing' and locked_until < now())
    order by next_attempt_at, id
    limit $3
    for update skip locked)
returning w.id, w.tenant, w.provider_id, w.event_id, w.event_type, w.action, w.data, w.attempts`;

describe(`indexes with ${SEEDED.toLocaleString('en')} seeded sessions and inbox rows (after ANALYZE)`, () => {
  it('finds a payment session by id with an index scan', async () => {
    const used = expectIndexed(
      await plan('select p0.* from payment_session as p0 where p0.id = $1 and p0.deleted_at is null limit 1', [
        'payses_seed_5000',
      ]),
      'payment_session',
    );
    expect(used).toContain('payment_session_pkey');
  });

  it('locks a payment collection by id with an index scan', async () => {
    const used = expectIndexed(
      await plan('select p0.* from payment_collection as p0 where p0.id = $1 limit 1 for update', ['paycol_seed_5000']),
      'payment_collection',
    );
    expect(used).toContain('payment_collection_pkey');
  });

  it("runs the worker's claim query on webhook_event through indexes", async () => {
    const used = expectIndexed(await plan(CLAIM_SQL, ['worker-1', 60_000, 10]), 'webhook_event');
    expect(used).toContain('webhook_event_due');
  });

  it("runs the inbox's dedup lookup (and its insert's conflict check) through the unique index", async () => {
    const used = expectIndexed(
      await plan('select id from webhook_event where tenant = $1 and provider_id = $2 and event_id = $3', [
        'default',
        'pp_system_default',
        'evt_seed_5000',
      ]),
      'webhook_event',
    );
    expect(used).toContain('webhook_event_dedup');
  });

  it("finds a session's payment, a payment's captures and a collection's cart by index", async () => {
    expect(
      expectIndexed(await plan('select * from payment where payment_session_id = $1', ['payses_seed_5000']), 'payment'),
    ).toContain('payment_payment_session_id_unique');
    expect(expectIndexed(await plan('select * from capture where payment_id = $1', ['pay_seed_5000']), 'capture')).toContain(
      'capture_payment_id_index',
    );
    expect(
      expectIndexed(await plan('select * from payment where payment_collection_id = $1', ['paycol_seed_5000']), 'payment'),
    ).toContain('payment_payment_collection_id_index');
    expect(
      expectIndexed(await plan('select id from cart where payment_collection_id = $1', ['paycol_seed_5000']), 'cart'),
    ).toContain('cart_payment_collection_id_key');
  });
});
