import { type PaymentSessionStatus, PaymentSessionStatus as Status } from '@tender/core';

/** Status of POST /spg/payment/mbway when the request reached the customer's app. */
export const MBWAY_REQUEST_ACCEPTED = '000';

/**
 * MB WAY request status codes (GET /spg/payment/mbway/status): 000 paid, 020 rejected by the customer,
 * 101 expired (no answer in the app within the window), 122 declined. Anything else (123 and the codes
 * Ifthenpay adds) means the request is still open.
 */
export const MbwayStatusCodes = { PAID: '000', REJECTED: '020', EXPIRED: '101', DECLINED: '122', PENDING: '123' } as const;

export function sessionStatusOfMbway(code: unknown): PaymentSessionStatus {
  switch (code) {
    case MbwayStatusCodes.PAID:
      return Status.CAPTURED;
    case MbwayStatusCodes.REJECTED:
    case MbwayStatusCodes.EXPIRED:
      return Status.CANCELED;
    case MbwayStatusCodes.DECLINED:
      return Status.ERROR;
    default:
      return Status.PENDING;
  }
}
