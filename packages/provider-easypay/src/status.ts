import { type PaymentAction, PaymentActions, PaymentSessionStatus } from '@tender/core';

/**
 * `payment_status` of an Easypay single payment (GET /single/:id). Easypay documents `pending`,
 * `paid`, `authorised`; the others are the states its operations (void, DELETE, refund, failure,
 * expiry) lead to.
 */
export const EasypayPaymentStatuses = [
  'pending',
  'authorised',
  'paid',
  'failed',
  'declined',
  'voided',
  'deleted',
  'expired',
  'refunded',
  'partially_refunded',
] as const;
export type EasypayPaymentStatus = (typeof EasypayPaymentStatuses)[number];

const SESSION_STATUS: Record<EasypayPaymentStatus, PaymentSessionStatus> = {
  pending: PaymentSessionStatus.PENDING,
  authorised: PaymentSessionStatus.AUTHORIZED,
  paid: PaymentSessionStatus.CAPTURED,
  // Money moved; refunds are tracked by the module, not by downgrading the session.
  refunded: PaymentSessionStatus.CAPTURED,
  partially_refunded: PaymentSessionStatus.CAPTURED,
  failed: PaymentSessionStatus.ERROR,
  declined: PaymentSessionStatus.ERROR,
  voided: PaymentSessionStatus.CANCELED,
  deleted: PaymentSessionStatus.CANCELED,
  expired: PaymentSessionStatus.CANCELED,
};

const ACTION: Record<EasypayPaymentStatus, PaymentAction> = {
  pending: PaymentActions.PENDING,
  authorised: PaymentActions.AUTHORIZED,
  paid: PaymentActions.CAPTURED,
  refunded: PaymentActions.CAPTURED,
  partially_refunded: PaymentActions.CAPTURED,
  failed: PaymentActions.FAILED,
  declined: PaymentActions.FAILED,
  voided: PaymentActions.CANCELED,
  deleted: PaymentActions.CANCELED,
  expired: PaymentActions.CANCELED,
};

export function isEasypayPaymentStatus(value: unknown): value is EasypayPaymentStatus {
  return typeof value === 'string' && (EasypayPaymentStatuses as readonly string[]).includes(value);
}

/** Session status for a fetched payment; an unknown status is treated as still pending. */
export function sessionStatusOf(paymentStatus: unknown): PaymentSessionStatus {
  return isEasypayPaymentStatus(paymentStatus) ? SESSION_STATUS[paymentStatus] : PaymentSessionStatus.PENDING;
}

/** What a payment's fetched status means for Tender; undefined when the status is unknown. */
export function actionOf(paymentStatus: unknown): PaymentAction | undefined {
  return isEasypayPaymentStatus(paymentStatus) ? ACTION[paymentStatus] : undefined;
}
