/** What a provider says a webhook means for the payment it concerns. */
export const PaymentActions = {
  AUTHORIZED: 'authorized',
  CAPTURED: 'captured',
  FAILED: 'failed',
  PENDING: 'pending',
  PENDING_AUTHORIZATION: 'pending_authorization',
  REQUIRES_MORE: 'requires_more',
  CANCELED: 'canceled',
  REFUNDED: 'refunded',
  NOT_SUPPORTED: 'not_supported',
} as const;
export type PaymentAction = (typeof PaymentActions)[keyof typeof PaymentActions];

export const PaymentSessionStatus = {
  PENDING: 'pending',
  PENDING_AUTHORIZATION: 'pending_authorization',
  REQUIRES_MORE: 'requires_more',
  AUTHORIZED: 'authorized',
  CAPTURED: 'captured',
  ERROR: 'error',
  CANCELED: 'canceled',
} as const;
export type PaymentSessionStatus = (typeof PaymentSessionStatus)[keyof typeof PaymentSessionStatus];

export const PaymentCollectionStatus = {
  NOT_PAID: 'not_paid',
  AWAITING: 'awaiting',
  AUTHORIZED: 'authorized',
  PARTIALLY_AUTHORIZED: 'partially_authorized',
  PARTIALLY_CAPTURED: 'partially_captured',
  COMPLETED: 'completed',
  PARTIALLY_REFUNDED: 'partially_refunded',
  REFUNDED: 'refunded',
  CANCELED: 'canceled',
  FAILED: 'failed',
} as const;
export type PaymentCollectionStatus = (typeof PaymentCollectionStatus)[keyof typeof PaymentCollectionStatus];

/**
 * Session statuses a webhook may never move a session out of: money has moved,
 * so a late `failed` or `canceled` must not undo it.
 */
export const SETTLED_SESSION_STATUSES: readonly PaymentSessionStatus[] = [
  PaymentSessionStatus.AUTHORIZED,
  PaymentSessionStatus.CAPTURED,
];
