import type { WebhookClaim } from '@tender/payment-module';
import type { ProcessPaymentInput } from './types.js';

/** What the event claims, with where it came from: the service checks it against the session under the lock. */
export function webhookClaim(input: ProcessPaymentInput): WebhookClaim {
  return {
    origin: { provider_id: input.provider_id, tenant: input.tenant },
    payment_reference: input.data?.payment_reference,
    currency_code: input.data?.currency_code,
  };
}
