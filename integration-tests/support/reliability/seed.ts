import type pg from 'pg';

/**
 * Seeds `count` paid checkouts (collection, session, payment, capture, cart and order) and their processed
 * inbox rows with set-based SQL, the way a database that has been in production for a while looks.
 * Shared by the index test and the benchmark's scale levels.
 */
export async function seedHistory(db: pg.Pool | pg.Client, count: number, prefix = 'seed'): Promise<void> {
  const p = prefix;
  await db.query(
    `insert into payment_collection (id, currency_code, amount, authorized_amount, captured_amount, status, completed_at)
     select 'paycol_${p}_' || i, 'usd', 10 + i % 90, 10 + i % 90, 10 + i % 90, 'completed', now() - interval '1 day'
       from generate_series(1, $1::int) as i`,
    [count],
  );
  await db.query(
    `insert into payment_session (id, payment_collection_id, provider_id, currency_code, amount, status, authorized_at)
     select 'payses_${p}_' || i, 'paycol_${p}_' || i, 'pp_system_default', 'usd', 10 + i % 90, 'captured', now() - interval '1 day'
       from generate_series(1, $1::int) as i`,
    [count],
  );
  await db.query(
    `insert into payment (id, payment_collection_id, payment_session_id, provider_id, currency_code, amount, captured_at)
     select 'pay_${p}_' || i, 'paycol_${p}_' || i, 'payses_${p}_' || i, 'pp_system_default', 'usd', 10 + i % 90, now() - interval '1 day'
       from generate_series(1, $1::int) as i`,
    [count],
  );
  await db.query(
    `insert into capture (id, payment_id, amount, status, idempotency_key, source)
     select 'capt_${p}_' || i, 'pay_${p}_' || i, 10 + i % 90, 'succeeded', 'pay_${p}_' || i || ':provider-capture', 'provider'
       from generate_series(1, $1::int) as i`,
    [count],
  );
  await db.query(
    `insert into webhook_event (id, provider_id, event_id, event_type, action, data, method, raw_body, headers, status,
                                attempts, processed_at, received_at, next_attempt_at)
     select 'whevt_${p}_' || i, 'pp_system_default', 'evt_${p}_' || i, 'payment.captured', 'captured',
            jsonb_build_object('session_id', 'payses_${p}_' || i, 'amount', (10 + i % 90)::text), 'POST', '\\x7b7d'::bytea, '{}'::jsonb,
            'processed', 1, now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
       from generate_series(1, $1::int) as i`,
    [count],
  );
  const hasCart = (await db.query(`select to_regclass('cart') is not null as present`)).rows[0].present;
  if (hasCart) {
    await db.query(
      `insert into cart (id, payment_collection_id, completed_at, order_id)
       select 'cart_${p}_' || i, 'paycol_${p}_' || i, now() - interval '1 day', 'order_${p}_' || i
         from generate_series(1, $1::int) as i`,
      [count],
    );
    await db.query(
      `insert into "order" (id, cart_id, payment_collection_id)
       select 'order_${p}_' || i, 'cart_${p}_' || i, 'paycol_${p}_' || i from generate_series(1, $1::int) as i`,
      [count],
    );
  }
}
