import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type PlanNode, planNodes, type TestPaymentModule } from '@tender/payment-module/testing';
import { CLAIM_OUTBOX_SQL, claimOutboxParams } from '../src/sql/outbox-event.js';

// A burst leaves thousands of dead row versions in the outbox's indexes until VACUUM runs. The claim must read
// from the oldest pending row on (an index scan, which stops at its LIMIT and marks dead entries as it passes),
// not build a bitmap of every entry the pending index ever had: that made each claim cost milliseconds and took
// most of a core in the bench.

let payments: TestPaymentModule;

beforeAll(async () => {
  // No subscriber: no relay runs, so the rows stay as the test leaves them. Autovacuum (and its ANALYZE) is off
  // for the table, as it has not run yet seconds into a burst: the planner still thinks few rows are pending.
  payments = await createTestPaymentModule({ worker: false });
  const em = payments.orm.em.fork();
  await em.execute('alter table outbox_event set (autovacuum_enabled = false)');
  for (let round = 0; round < 20; round++) {
    await em.execute(
      `insert into outbox_event (id, name, payment_collection_id, payload)
       select 'oevt_plan_' || ? || '_' || g, 'payment.captured', 'pay_col_plan_' || ? || '_' || (g / 3), '{}'
         from generate_series(1, 150) g`,
      [round, round],
    );
    await em.execute(
      `update outbox_event set status = 'processing', locked_until = now() + interval '5 seconds' where status = 'pending'`,
    );
    await em.execute(
      `update outbox_event set status = 'delivered', delivered_at = now(), locked_until = null where status = 'processing'`,
    );
  }
  await em.execute(
    `insert into outbox_event (id, name, payment_collection_id, payload)
     select 'oevt_plan_open_' || g, 'payment.captured', 'pay_col_plan_open_' || (g / 3), '{}' from generate_series(1, 80) g`,
  );
});
afterAll(async () => {
  await payments?.close();
});

describe('the outbox claim after a burst of deliveries', () => {
  it('reads the pending rows with an index scan from the oldest one, not a bitmap of every dead entry', async () => {
    const [row] = await payments.orm.em
      .fork()
      .execute<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
        `explain (format json) ${CLAIM_OUTBOX_SQL}`,
        claimOutboxParams(64, 'relay-plan-test', 5000),
      );
    const plan = planNodes(row!['QUERY PLAN'][0]!.Plan);
    const onPendingIndex = plan.filter((n) => n['Index Name'] === 'outbox_event_pending');
    expect(onPendingIndex.length).toBeGreaterThan(0);
    expect(onPendingIndex.map((n) => n['Node Type'])).not.toContain('Bitmap Index Scan');
  });

  it('claims the open events, oldest first', async () => {
    const claimed = await payments.orm.em
      .fork()
      .execute<{ id: string; seq: string }[]>(CLAIM_OUTBOX_SQL, claimOutboxParams(64, 'relay-plan-test', 5000));
    expect(claimed).toHaveLength(64);
    expect(claimed.every((e) => e.id.startsWith('oevt_plan_open_'))).toBe(true);
    const seqs = claimed.map((e) => Number(e.seq));
    const { 0: oldest } = await payments.orm.em
      .fork()
      .execute<{ min: string }[]>(`select min(seq) as min from outbox_event where id like 'oevt_plan_open_%'`);
    expect(Math.min(...seqs)).toBe(Number(oldest!.min));
  });
});
