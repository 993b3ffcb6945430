/**
 * Set-based seeding (INSERT … SELECT generate_series): never one row at a time.
 * `seedHistory` writes paid, completed checkouts with their processed inbox rows (a database that has
 * been in production a while); `seedPending` writes checkouts waiting for their payment webhook.
 */
export async function seedHistory(db, count, prefix) {
  const p = prefix;
  const q = (sql) => db.query(sql, [count]);
  await q(`insert into payment_collection (id, currency_code, amount, authorized_amount, captured_amount, status, completed_at)
           select 'paycol_${p}_' || i, 'usd', 10 + i % 90, 10 + i % 90, 10 + i % 90, 'completed', now() - interval '1 day'
             from generate_series(1, $1::int) as i`);
  await q(`insert into payment_session (id, payment_collection_id, provider_id, currency_code, amount, status, authorized_at)
           select 'payses_${p}_' || i, 'paycol_${p}_' || i, 'pp_system_default', 'usd', 10 + i % 90, 'captured', now() - interval '1 day'
             from generate_series(1, $1::int) as i`);
  await q(`insert into payment (id, payment_collection_id, payment_session_id, provider_id, currency_code, amount, captured_at)
           select 'pay_${p}_' || i, 'paycol_${p}_' || i, 'payses_${p}_' || i, 'pp_system_default', 'usd', 10 + i % 90, now() - interval '1 day'
             from generate_series(1, $1::int) as i`);
  await q(`insert into capture (id, payment_id, amount, status, idempotency_key, source)
           select 'capt_${p}_' || i, 'pay_${p}_' || i, 10 + i % 90, 'succeeded', 'pay_${p}_' || i || ':provider-capture', 'provider'
             from generate_series(1, $1::int) as i`);
  await q(`insert into webhook_event (id, provider_id, event_id, event_type, action, data, method, raw_body, headers, status,
                                      attempts, processed_at, received_at, next_attempt_at)
           select 'whevt_${p}_' || i, 'pp_system_default', 'evt_${p}_' || i, 'payment.captured', 'captured',
                  jsonb_build_object('session_id', 'payses_${p}_' || i, 'amount', (10 + i % 90)::text), 'POST', '\\x7b7d'::bytea,
                  '{}'::jsonb, 'processed', 1, now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
             from generate_series(1, $1::int) as i`);
  await q(`insert into cart (id, payment_collection_id, completed_at, order_id)
           select 'cart_${p}_' || i, 'paycol_${p}_' || i, now() - interval '1 day', 'order_${p}_' || i
             from generate_series(1, $1::int) as i`);
  await q(`insert into "order" (id, cart_id, payment_collection_id)
           select 'order_${p}_' || i, 'cart_${p}_' || i, 'paycol_${p}_' || i from generate_series(1, $1::int) as i`);
}

/** `count` checkouts awaiting payment: ids `paycol_<p>_<i>`, `payses_<p>_<i>`, `cart_<p>_<i>` for i in 0..count-1. */
export async function seedPending(db, count, prefix, amount = '25.00') {
  const p = prefix;
  await db.query(
    `insert into payment_collection (id, currency_code, amount)
     select 'paycol_${p}_' || i, 'usd', $2::numeric from generate_series(0, $1::int - 1) as i`,
    [count, amount],
  );
  await db.query(
    `insert into payment_session (id, payment_collection_id, provider_id, currency_code, amount, data)
     select 'payses_${p}_' || i, 'paycol_${p}_' || i, 'pp_system_default', 'usd', $2::numeric,
            jsonb_build_object('session_id', 'payses_${p}_' || i)
       from generate_series(0, $1::int - 1) as i`,
    [count, amount],
  );
  await db.query(
    `insert into cart (id, payment_collection_id) select 'cart_${p}_' || i, 'paycol_${p}_' || i from generate_series(0, $1::int - 1) as i`,
    [count],
  );
}

/** The raw-`pg` comparison workload: pgbench's "simple update" tables. */
export async function createCommitTables(db, accounts = 100_000) {
  await db.query(
    `create table if not exists bench_accounts (id int primary key, balance bigint not null default 0, filler char(84))`,
  );
  await db.query(
    `create table if not exists bench_history (id bigserial primary key, account_id int, delta int, at timestamptz default now())`,
  );
  await db.query(`insert into bench_accounts (id) select i from generate_series(1, $1::int) as i on conflict (id) do nothing`, [
    accounts,
  ]);
  await db.query('analyze bench_accounts');
}
