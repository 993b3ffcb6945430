import type { PaymentAction, PaymentSessionStatus } from '../statuses.js';

/** Provider-owned data stored on the session/payment and handed back on every call. */
export type ProviderData = Record<string, unknown>;

export interface ProviderContext {
  /**
   * Stable for every retry of the same logical operation (session id for initiate,
   * `capture:<payment>:<n>` for the n-th capture, …): pass it to the provider's API.
   */
  idempotency_key?: string;
  tenant?: string;
  customer?: { id?: string; email?: string; name?: string };
  account_holder?: { id: string; data: ProviderData };
}

export interface InitiatePaymentInput {
  /** Major units as a decimal string, e.g. "10.50". */
  amount: string;
  currency_code: string;
  /** The Tender session id; providers put it in their metadata so webhooks can name it. */
  session_id: string;
  data?: ProviderData;
  context?: ProviderContext;
}
export interface InitiatePaymentOutput {
  /** The provider's id for the payment (PaymentIntent id, reference, …). */
  id: string;
  data?: ProviderData;
  status?: PaymentSessionStatus;
}

export interface UpdatePaymentInput {
  amount: string;
  currency_code: string;
  data: ProviderData;
  context?: ProviderContext;
}
export interface UpdatePaymentOutput {
  data?: ProviderData;
  status?: PaymentSessionStatus;
}

export interface PaymentDataInput {
  data: ProviderData;
  context?: ProviderContext;
}
export interface PaymentDataOutput {
  data?: ProviderData;
}

/**
 * What the gateway itself says about a payment. `amount` and `captured_amount` (major units, decimal
 * strings) are its own figures; when given, Tender records them rather than what a webhook claims.
 */
export interface ProviderPaymentState {
  status: PaymentSessionStatus;
  data?: ProviderData;
  /** What the gateway holds for the payment: authorized (capturable or already taken). */
  amount?: string;
  /** What the gateway has captured so far: its running total. */
  captured_amount?: string;
}

export type AuthorizePaymentOutput = ProviderPaymentState;

export interface CapturePaymentInput extends PaymentDataInput {
  /** Amount to capture in major units; absent means the full authorized amount. */
  amount?: string;
  currency_code?: string;
}

export interface RefundPaymentInput extends PaymentDataInput {
  amount: string;
  currency_code?: string;
}

export type GetPaymentStatusOutput = ProviderPaymentState;

export interface AccountHolderInput {
  context: ProviderContext & { customer: { id: string; email?: string; name?: string } };
  data?: ProviderData;
}
export interface AccountHolderOutput {
  id: string;
  data?: ProviderData;
}
export interface PaymentMethodOutput {
  id: string;
  data: ProviderData;
}

export type HeaderValue = string | string[] | undefined;

/** A webhook request exactly as it reached the route. */
export interface ProviderWebhookPayload {
  /** Parsed body (JSON object, or form fields), for convenience only: verify against rawData. */
  data: Record<string, unknown>;
  /** The request body bytes, unchanged. Signatures are computed over these. */
  rawData: Buffer;
  /** Lower-cased header names. */
  headers: Record<string, HeaderValue>;
  query: Record<string, string>;
  method: string;
}

export interface WebhookActionData {
  session_id: string;
  /**
   * Major units, decimal string. For `captured` and `refunded` without a `reference` it is the provider's
   * running total (captured or refunded so far), so redeliveries and reordering change nothing.
   */
  amount: string;
  currency_code?: string;
  /**
   * The provider's id of the payment object the event is about: the `id` its `initiatePayment` returned
   * (a PaymentIntent id, a reference). When set, it must be the session's own, or the event changes nothing.
   */
  payment_reference?: string;
  /**
   * The provider's id of the one capture or refund this event reports. When set, `amount` is that
   * movement's own amount and it is recorded once per reference.
   */
  reference?: string;
}

export interface WebhookActionAndData {
  action: PaymentAction;
  data?: WebhookActionData;
  /** The provider's unique id for this delivery's event: the inbox deduplicates on it. */
  event_id?: string;
  event_type?: string;
}

export interface PaymentProvider {
  initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput>;
  updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput>;
  deletePayment(input: PaymentDataInput): Promise<PaymentDataOutput>;
  authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput>;
  capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput>;
  refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput>;
  retrievePayment(input: PaymentDataInput): Promise<PaymentDataOutput>;
  cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput>;
  getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput>;
  getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData>;
  /**
   * Whether `authorizePayment` / `getPaymentStatus` ask the gateway about this payment (absent: true).
   * When they do, the gateway's answer decides what a webhook may authorize or capture; when they cannot
   * (a Multibanco reference, a gateway without an API), a verified webhook decides, but only for the
   * session's own reference and currency and only for the amount it reports.
   */
  canAskStatus?(data: ProviderData): boolean;
  createAccountHolder?(input: AccountHolderInput): Promise<AccountHolderOutput>;
  updateAccountHolder?(input: AccountHolderInput & { data: ProviderData }): Promise<AccountHolderOutput>;
  deleteAccountHolder?(input: { data: ProviderData; context?: ProviderContext }): Promise<void>;
  listPaymentMethods?(input: { account_holder_data: ProviderData; context?: ProviderContext }): Promise<PaymentMethodOutput[]>;
  savePaymentMethod?(input: {
    account_holder_data: ProviderData;
    data?: ProviderData;
    context?: ProviderContext;
  }): Promise<PaymentMethodOutput>;
  /** Removes a saved payment method from the account holder (Stripe: detaches it from the Customer). */
  deletePaymentMethod?(input: {
    account_holder_data: ProviderData;
    /** The id `listPaymentMethods` / `savePaymentMethod` gave. */
    id: string;
    context?: ProviderContext;
  }): Promise<void>;
}
