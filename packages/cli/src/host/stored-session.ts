import { normalizeAmount } from '@tender/core';
import { openDatabase } from '@tender/payment-module';
import { storedSession as readStoredSession } from '@tender/payment-module/internal';

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
    const session = await readStoredSession(orm, sessionId);
    if (!session) return undefined;
    const paymentId = session.data.id;
    return {
      amount: normalizeAmount(session.amount),
      currency_code: session.currency_code,
      payment_id: typeof paymentId === 'string' ? paymentId : undefined,
    };
  } finally {
    await orm.close(true);
  }
}
