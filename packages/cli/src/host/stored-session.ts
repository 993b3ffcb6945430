import { normalizeAmount } from '@tender/core';
import { openDatabase } from '@tender/payment-module';

/**
 * A session's amount, currency and gateway payment id (what its provider's initiatePayment returned) as
 * stored, or undefined when the session does not exist.
 */
export async function storedSession(
  databaseUrl: string,
  sessionId: string,
): Promise<{ amount: string; currency_code: string; payment_id?: string } | undefined> {
  const orm = await openDatabase({ url: databaseUrl, poolSize: 1 });
  try {
    const [row] = await orm.em
      .fork()
      .execute<{ amount: string; currency_code: string; payment_id: string | null }[]>(
        "select amount::text as amount, currency_code, data->>'id' as payment_id from payment_session where id = ?",
        [sessionId],
      );
    if (!row) return undefined;
    return { amount: normalizeAmount(row.amount), currency_code: row.currency_code, payment_id: row.payment_id ?? undefined };
  } finally {
    await orm.close(true);
  }
}
