export type EmulatedStatus = 'pending' | 'paid' | 'rejected' | 'expired' | 'declined';

export interface EmulatedIfthenpayPayment {
  requestId: string;
  method: 'multibanco' | 'mbway';
  orderId: string;
  /** Decimal string with two decimals. */
  amount: string;
  status: EmulatedStatus;
  entity?: string;
  reference?: string;
  mobileNumber?: string;
  refunded: string;
  paidAt?: string;
}

/** The emulated Ifthenpay contract: the keys its API checks, and the payment requests made with them. */
export interface IfthenpayAccount {
  readonly mbKey: string;
  readonly mbWayKey: string;
  readonly backofficeKey: string;
  readonly payments: Map<string, EmulatedIfthenpayPayment>;
}

export function setPaymentStatus(account: IfthenpayAccount, requestId: string, status: EmulatedStatus): EmulatedIfthenpayPayment {
  const payment = account.payments.get(requestId);
  if (!payment) throw new Error(`Ifthenpay emulator has no request ${requestId}`);
  payment.status = status;
  if (status === 'paid') payment.paidAt = new Date().toISOString();
  return payment;
}
