import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  claimParams,
  createTestPaymentModule,
  numberedPlaceholders,
  type PlanNode,
  planNodes,
  type TestPaymentModule,
  WEBHOOK_PATH_SQL,
} from '@tender/payment-module/testing';
import { CART_BY_COLLECTION_SQL, COMPLETE_CART_SQL, PostgresCartStore } from '@tender/reference-cart';
import { openPool } from '../../support/reliability/harness.js';
import { seedHistory } from '../../support/reliability/seed.js';

const SEEDED = 12_000;
/** Events waiting for a worker, as after a burst or an outage: the claim must not read them all. */
const BACKLOG = 5_000;

let payments: TestPaymentModule;
let carts: PostgresCartStore;
let db: ReturnType<typeof openPool>;

beforeAll(async () => {
  payments = await createTestPaymentModule({ worker: false });
  carts = new PostgresCartStore(payments.databaseUrl);
  await carts.migrate();
  db = openPool(payments.databaseUrl);
  await seedHistory(db, SEEDED);
  // A backlog of due events (new and failed), and one whose worker died holding it: what the claim looks for.
  await db.query(
    `insert into webhook_event (id, provider_id, event_id, action, method, raw_body, headers, status, next_attempt_at, locked_until)
     select 'whevt_due_' || i, 'pp_system_default', 'evt_due_' || i, 'captured', 'POST', '\\x7b7d'::bytea, '{}'::jsonb,
            case when i = 1 then 'processing' when i % 2 = 0 then 'failed' else 'pending' end,
            now() - interval '1 second' - i * interval '1 ms', case when i = 1 then now() - interval '1 second' end
       from generate_series(1, $1::int) as i`,
    [BACKLOG],
  );
  // Refunds on a third of the payments, so the refund lookups are planned against a table with rows.
  await db.query(
    `insert into refund (id, payment_id, amount, status, idempotency_key, source)
     select 'ref_seed_' || i, 'pay_seed_' || i, 1, 'succeeded', 'ref_seed_' || i, 'provider'
       from generate_series(1, $1::int, 3) as i`,
    [SEEDED],
  );
  await db.query('analyze');
}, 120_000);

afterAll(async () => {
  await db?.end();
  await carts?.close();
  await payments?.close();
});

async function plan(sql: string, params: unknown[] = []): Promise<PlanNode[]> {
  const { rows } = await db.query(`explain (format json) ${sql}`, params);
  return planNodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
}

/** The query reads `table` through an index, and nowhere by a sequential scan. */
function expectIndexed(nodes: PlanNode[], table: string): string[] {
  const onTable = nodes.filter((n) => n['Relation Name'] === table || n['Index Name']?.startsWith(table));
  expect(onTable.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  const indexes = onTable.filter((n) => /Index/.test(n['Node Type'])).map((n) => n['Index Name']!);
  expect(indexes.length).toBeGreaterThan(0);
  return indexes;
}

const sql = (statement: string) => numberedPlaceholders(statement);
const outcome = (id: string) => [id, 'worker-1', 'processed', '{}', null, 0];

// Every statement below is imported from the module (or the reference cart) as it sends it: none is a copy.
describe(`indexes with ${SEEDED.toLocaleString('en')} seeded sessions and inbox rows (after ANALYZE)`, () => {
  it('reads a session, a collection and a payment by primary key', async () => {
    expect(expectIndexed(await plan(sql(WEBHOOK_PATH_SQL.sessionById), ['payses_seed_5000']), 'payment_session')).toContain(
      'payment_session_pkey',
    );
    expect(expectIndexed(await plan(sql(WEBHOOK_PATH_SQL.collectionById), ['paycol_seed_5000']), 'payment_collection')).toContain(
      'payment_collection_pkey',
    );
    expect(expectIndexed(await plan(sql(WEBHOOK_PATH_SQL.paymentById), ['pay_seed_5000']), 'payment')).toContain('payment_pkey');
  });

  const sessions = ['payses_seed_5000', 'payses_seed_6000', 'payses_seed_7000'];
  const collections = ['paycol_seed_5000', 'paycol_seed_6000', 'paycol_seed_7000'];

  it("reads a batch's sessions, with their payments for authorization, and locks their collections, by index", async () => {
    expect(expectIndexed(await plan(sql(WEBHOOK_PATH_SQL.sessionsById), sessions), 'payment_session')).toContain(
      'payment_session_pkey',
    );
    const read = await plan(sql(WEBHOOK_PATH_SQL.sessionsForAuthorization), sessions);
    expect(expectIndexed(read, 'payment_session')).toContain('payment_session_pkey');
    expect(expectIndexed(read, 'payment')).toContain('payment_payment_session_id_unique');
    for (const [statement, params] of [
      [WEBHOOK_PATH_SQL.lockCollection, collections.slice(0, 1)],
      [WEBHOOK_PATH_SQL.lockCollections, collections],
    ] as const) {
      expect(expectIndexed(await plan(sql(statement), [...params]), 'payment_collection')).toContain('payment_collection_pkey');
    }
  });

  it('reads the sessions again under the locks, each with its collection totals, by index', async () => {
    const read = await plan(sql(WEBHOOK_PATH_SQL.lockedSessionsWithTotals), sessions);
    expect(expectIndexed(read, 'payment_session')).toEqual(
      expect.arrayContaining(['payment_session_pkey', 'payment_session_payment_collection_id_index']),
    );
    expect(expectIndexed(read, 'payment')).toEqual(
      expect.arrayContaining(['payment_payment_session_id_unique', 'payment_payment_collection_id_index']),
    );
    expect(expectIndexed(read, 'capture')).toContainEqual(expect.stringMatching(/^capture_payment_id_/));
    expect(expectIndexed(read, 'refund')).toContainEqual(expect.stringMatching(/^refund_payment_id_/));
  });

  it("recomputes a collection's totals from its sessions, payments, captures and refunds by index", async () => {
    const totals = await plan(sql(WEBHOOK_PATH_SQL.collectionTotals), Array(5).fill('paycol_seed_5000'));
    expect(expectIndexed(totals, 'payment_session')).toContain('payment_session_payment_collection_id_index');
    expect(expectIndexed(totals, 'payment')).toContain('payment_payment_collection_id_index');
    expect(expectIndexed(totals, 'capture')).toContainEqual(expect.stringMatching(/^capture_payment_id_/));
    expect(expectIndexed(totals, 'refund')).toContainEqual(expect.stringMatching(/^refund_payment_id_/));
  });

  it("loads a payment's captures and refunds by index", async () => {
    const movements = await plan(sql(WEBHOOK_PATH_SQL.movementsOfPayments), Array(2).fill('["pay_seed_5000"]'));
    expect(expectIndexed(movements, 'capture')).toContainEqual(expect.stringMatching(/^capture_payment_id_/));
    expect(expectIndexed(movements, 'refund')).toContainEqual(expect.stringMatching(/^refund_payment_id_/));
  });

  it("writes a batch's payments, captures, session statuses and collection totals by primary key", async () => {
    const payment = (i: number) => [
      `pay_new_${i}`,
      'default',
      collections[i],
      sessions[i],
      'pp_system_default',
      'usd',
      '10',
      '{}',
      null,
      new Date(),
      new Date(),
    ];
    const params = [
      ...payment(0),
      ...payment(1),
      ...['cap_new_1', 'pay_new_0', '10', 'key_1', new Date()],
      ...['cap_new_2', 'pay_new_1', '10', 'key_2', new Date()],
      ...[collections[0], '10', '10', '0', 'completed', true],
      ...[collections[1], '10', '10', '0', 'completed', true],
      ...[sessions[0], 'captured', new Date(), '{}'],
      ...[sessions[1], 'captured', new Date(), '{}'],
    ];
    const written = await plan(sql(WEBHOOK_PATH_SQL.insertPayments), params);
    expect(expectIndexed(written, 'payment_collection')).toContain('payment_collection_pkey');
    expect(expectIndexed(written, 'payment_session')).toContain('payment_session_pkey');
  });

  it("runs the worker's claim and its batched outcome update on webhook_event through indexes", async () => {
    expect(
      expectIndexed(await plan(sql(WEBHOOK_PATH_SQL.claimEvents), claimParams(10, 'worker-1', 60_000)), 'webhook_event'),
    ).toContain('webhook_event_due');
    const recorded = await plan(sql(WEBHOOK_PATH_SQL.recordOutcomes), [...outcome('whevt_due_2'), ...outcome('whevt_due_3')]);
    expect(expectIndexed(recorded, 'webhook_event')).toContain('webhook_event_pkey');
  });

  it(`claims a batch reading about a batch of rows, with ${BACKLOG.toLocaleString('en')} events due`, async () => {
    const client = await db.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query(
        `explain (analyze, format json) ${sql(WEBHOOK_PATH_SQL.claimEvents)}`,
        claimParams(10, 'worker-1', 60_000),
      );
      await client.query('rollback');
      const all = planNodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan) as (PlanNode & { 'Actual Rows': number })[];
      const scans = all.filter((n) => n['Relation Name'] === 'webhook_event' && /Scan/.test(n['Node Type']));
      expect(scans.length).toBeGreaterThan(0);
      // The oldest 10 plus a sort group's worth per status, not the backlog.
      for (const scan of scans) expect(scan['Actual Rows']).toBeLessThanOrEqual(50);
      const claimed = all[0]!['Actual Rows'];
      expect(claimed).toBe(10);
    } finally {
      client.release();
    }
  });

  it("looks up already stored events through the inbox's unique index", async () => {
    const used = expectIndexed(
      await plan(sql(WEBHOOK_PATH_SQL.existingEvents), ['default', 'pp_system_default', 'evt_seed_5000']),
      'webhook_event',
    );
    expect(used).toContain('webhook_event_dedup');
  });

  it("finds and completes a collection's cart by index", async () => {
    expect(expectIndexed(await plan(CART_BY_COLLECTION_SQL, ['paycol_seed_5000']), 'cart')).toContain(
      'cart_payment_collection_id_key',
    );
    const complete = await plan(COMPLETE_CART_SQL, ['cart_seed_5000', 'order_new']);
    expect(expectIndexed(complete, 'cart')).toContain('cart_pkey');
  });
});
