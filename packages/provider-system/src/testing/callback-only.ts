import type { AuthorizePaymentOutput, PaymentDataInput } from '@tender/core';
import { SystemPaymentProvider } from '../system-provider.js';

/**
 * A gateway with no status call (like a Multibanco reference): authorizing leaves the payment pending, and only
 * its callback says it was paid. Registered as `pp_callback-only_<id>`.
 */
export class CallbackOnlyProvider extends SystemPaymentProvider {
  static override identifier = 'callback-only';

  override async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    return { status: 'pending' as const, data: input.data };
  }
}
