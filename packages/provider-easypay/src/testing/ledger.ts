import { subtractAmounts } from '@tender/core';
import type { EasypayPaymentStatus } from '../status.js';

export interface EmulatedOperation {
  id: string;
  payment_id: string;
  transaction_key?: string;
  /** Decimal string. */
  value: string;
  status: 'success' | 'processing' | 'failed';
}

export interface EmulatedSingle {
  id: string;
  key: string;
  type: 'sale' | 'authorisation';
  method: { type: string; status: string; entity?: string; reference?: string; url?: string; alias?: string };
  /** Decimal string, written to JSON as a number literal. */
  value: string;
  currency: string;
  payment_status: EasypayPaymentStatus;
  customer: Record<string, unknown>;
  capture?: { transaction_key?: string; descriptive?: string };
  created_at: string;
  paid_at?: string;
}

export type OperationKind = 'capture' | 'void' | 'refund';

/** The emulated Easypay account: its single payments and the captures, refunds and voids made on them. */
export class EasypayLedger {
  readonly payments = new Map<string, EmulatedSingle>();
  readonly captures = new Map<string, EmulatedOperation>();
  readonly refunds = new Map<string, EmulatedOperation>();
  readonly voids = new Map<string, EmulatedOperation>();
  /** Card payment pages live on the emulator, whose address is known only once it listens. */
  baseUrl = '';

  operations(kind: OperationKind): Map<string, EmulatedOperation> {
    return kind === 'capture' ? this.captures : kind === 'void' ? this.voids : this.refunds;
  }

  /** The total of a payment's successful refunds. */
  refunded(paymentId: string): string {
    return [...this.refunds.values()]
      .filter((refund) => refund.payment_id === paymentId && refund.status === 'success')
      .reduce((sum, refund) => subtractAmounts(sum, `-${refund.value}`), '0');
  }
}

/** Easypay's timestamp format: `2024-05-01 12:34:56`. */
export const easypayTimestamp = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');
