import type { AuthorizePaymentOutput, GetPaymentStatusOutput } from '@tender/core';
import { SystemPaymentProvider } from '../system-provider.js';

/**
 * A provider whose gateway has a status call and is down: authorizing or asking fails with "gateway timed
 * out". Registered as `pp_failing_<id>`; for tests of what one provider's outage may and may not stop.
 */
export class UnreachableGatewayProvider extends SystemPaymentProvider {
  static override identifier = 'failing';

  override canAskStatus(): boolean {
    return true;
  }

  override async authorizePayment(): Promise<AuthorizePaymentOutput> {
    throw new Error('gateway timed out');
  }

  override async getPaymentStatus(): Promise<GetPaymentStatusOutput> {
    throw new Error('gateway timed out');
  }
}
