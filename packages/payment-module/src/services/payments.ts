import type { AmountInput } from '@tender/core';

/**
 * A payment's operations, by concept: a merchant's capture and refund (merchant-movements.ts), captures and
 * refunds a provider reports (provider-movements.ts), cancellation (payment-cancellation.ts); reads in
 * payment-loader.ts and payment-queries.ts. Here: the inputs of `capturePayment` and `refundPayment`.
 */

export interface CapturePaymentInput {
  payment_id: string;
  /** Defaults to everything authorized and not yet captured. */
  amount?: AmountInput;
  captured_by?: string;
  /** Give the same key when retrying the same capture: the provider sees one capture. */
  idempotency_key?: string;
}

export interface RefundPaymentInput {
  payment_id: string;
  amount?: AmountInput;
  refund_reason_id?: string;
  note?: string;
  created_by?: string;
  idempotency_key?: string;
}
