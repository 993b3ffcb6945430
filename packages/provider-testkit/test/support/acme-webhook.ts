import { hmacSha256 } from '@tender/core';
import type { ConformanceWebhook, ConformanceWebhookEvent } from '@tender/provider-testkit';

export const ACME_SECRET = 'acme-test-secret-0001';

const TYPES: Record<string, string> = {
  captured: 'payment.succeeded',
  failed: 'payment.failed',
  refunded: 'refund.succeeded',
  not_supported: 'customer.created',
};

/** What Acme would POST for `event`, signed like Acme signs it. */
export function acmeWebhook(event: ConformanceWebhookEvent, sign: { secret?: string } = {}): ConformanceWebhook {
  const rawBody = Buffer.from(
    JSON.stringify({
      id: event.event_id,
      type: TYPES[event.action],
      data: { session_id: event.session_id, amount: event.amount, currency: event.currency_code },
    }),
  );
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Acme-Signature': hmacSha256(sign.secret ?? ACME_SECRET, rawBody) },
    rawBody,
  };
}
