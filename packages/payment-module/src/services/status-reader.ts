import type { GetPaymentStatusOutput, PaymentDataInput, PaymentProvider } from '@tender/core';
import pLimit from 'p-limit';
import { callProvider } from './provider-call.js';

/**
 * Status reads a module makes at once for webhooks: a worker runs its claimed batches' events together
 * (up to 128 by default), and a gateway's API limits how fast one account may call it.
 */
export const STATUS_READS_AT_ONCE = 24;

/** Asks gateways for a payment's status on a webhook's behalf, a bounded number at a time. */
export class StatusReader {
  private readonly limit = pLimit(STATUS_READS_AT_ONCE);

  read(providerId: string, provider: PaymentProvider, input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    return this.limit(() => callProvider(providerId, 'read the payment status', () => provider.getPaymentStatus(input)));
  }
}
