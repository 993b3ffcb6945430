import { type PaymentAction, PaymentActions } from '@tender/core';

/**
 * What each event of an HMAC gateway means for Tender (events mode), before the `events.actions` option.
 * - refund.initiated: no money has moved yet; only refund.completed records a refund, so it is never counted twice.
 * - customer.*: account holders are created by Tender through the provider, and a customer change on the
 *   gateway carries no payment state, so these are acknowledged and recorded without an action.
 */
export const HMAC_EVENT_ACTIONS: Readonly<Record<string, PaymentAction>> = {
  'payment.completed': PaymentActions.CAPTURED,
  'payment.failed': PaymentActions.FAILED,
  'refund.initiated': PaymentActions.NOT_SUPPORTED,
  'refund.completed': PaymentActions.REFUNDED,
  'customer.created': PaymentActions.NOT_SUPPORTED,
  'customer.updated': PaymentActions.NOT_SUPPORTED,
};
