import { normalizeAmount } from '@tender/core';
import { openDatabase } from '@tender/payment-module';

/** A session's amount and currency as stored, or undefined when the session does not exist. */
export async function sessionAmount(
  databaseUrl: string,
  sessionId: string,
): Promise<{ amount: string; currency_code: string } | undefined> {
  const orm = await openDatabase({ url: databaseUrl, poolSize: 1 });
  try {
    const [row] = await orm.em
      .fork()
      .execute<{ amount: string; currency_code: string }[]>(
        'select amount::text as amount, currency_code from payment_session where id = ?',
        [sessionId],
      );
    return row ? { amount: normalizeAmount(row.amount), currency_code: row.currency_code } : undefined;
  } finally {
    await orm.close(true);
  }
}
