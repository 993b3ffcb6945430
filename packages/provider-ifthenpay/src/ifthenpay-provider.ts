import {
  AbstractPaymentProvider,
  type AuthorizePaymentOutput,
  type CapturePaymentInput,
  type GetPaymentStatusOutput,
  type InitiatePaymentInput,
  type InitiatePaymentOutput,
  type PaymentDataInput,
  type PaymentDataOutput,
  PaymentSessionStatus,
  type ProviderDependencies,
  type ProviderWebhookPayload,
  type RefundPaymentInput,
  TenderError,
  type WebhookActionAndData,
} from '@tender/core';
import { IFTHENPAY_CURRENCY, toIfthenpayAmount } from './amount.js';
import { assertAntiPhishingKey, callbackToAction, readCallbackParams } from './callback.js';
import { IfthenpayClient, type IfthenpayObject } from './ifthenpay-client.js';
import { MBWAY_REQUEST_ACCEPTED, MbwayStatusCodes, sessionStatusOfMbway } from './mbway-status.js';
import { type IfthenpayProviderOptions, ifthenpayProviderOptions } from './options.js';

/** What the provider keeps on the Tender session / payment (`data`). */
export interface IfthenpayPaymentData extends Record<string, unknown> {
  request_id: string;
  method: 'multibanco' | 'mbway';
  /** The Tender session id, sent as Ifthenpay's orderId and echoed by every callback. */
  order_id: string;
  amount: string;
  entity?: string;
  reference?: string;
  expiry_date?: string;
  mobile_number?: string;
  /** Last MB WAY status code read from Ifthenpay. */
  mbway_status?: string;
  canceled?: boolean;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * Ifthenpay Multibanco references and MB WAY requests. Both are sales: money arrives with the callback,
 * so capture has nothing to do.
 */
export class IfthenpayPaymentProvider extends AbstractPaymentProvider<IfthenpayProviderOptions> {
  static override identifier = 'ifthenpay';
  static override optionsSchema = ifthenpayProviderOptions;
  static override credentialFields = { query: ['key', 'chave'] };
  /**
   * The provider has no database, so it cannot compare a callback's amount with the session's: it
   * returns the callback's amount and the payment module rejects (400, logged) a mismatch.
   */
  static readonly verifiesSessionAmount = true;

  private readonly client: IfthenpayClient;

  constructor(dependencies: ProviderDependencies, options: IfthenpayProviderOptions) {
    super(dependencies, options);
    this.client = new IfthenpayClient({
      apiBaseUrl: options.apiBaseUrl,
      timeoutMs: options.timeoutMs,
      fetch: dependencies.fetch,
    });
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    if (input.currency_code.toUpperCase() !== IFTHENPAY_CURRENCY) {
      throw new TenderError('invalid_data', `Ifthenpay only takes EUR, not ${input.currency_code.toUpperCase()}.`);
    }
    const amount = toIfthenpayAmount(input.amount);
    const data =
      this.options.method === 'multibanco'
        ? await this.createReference(input.session_id, amount)
        : await this.requestMbway(input, amount);
    return { id: data.request_id, data: { ...input.data, ...data }, status: PaymentSessionStatus.PENDING };
  }

  private async createReference(orderId: string, amount: string): Promise<IfthenpayPaymentData> {
    const body: Record<string, string> = {
      mbKey: this.options.mbKey!,
      orderId,
      amount,
      description: this.options.description,
    };
    if (this.options.expiryDays !== undefined) body.expiryDays = String(this.options.expiryDays);
    const created = await this.client.request('POST', '/multibanco/reference/init', body);
    if (created.Status !== '0' || !str(created.RequestId) || !str(created.Reference)) {
      throw new TenderError(
        'provider_error',
        `Ifthenpay did not create a Multibanco reference: ${str(created.Message) ?? 'no reason given'}.`,
      );
    }
    return {
      request_id: str(created.RequestId)!,
      method: 'multibanco',
      order_id: orderId,
      amount,
      entity: str(created.Entity),
      reference: str(created.Reference),
      expiry_date: str(created.ExpiryDate),
    };
  }

  /** MB WAY needs the customer's phone: `data.phone` (and `data.phone_indicative`, default 351). */
  private async requestMbway(input: InitiatePaymentInput, amount: string): Promise<IfthenpayPaymentData> {
    const phone = str(input.data?.phone)?.replace(/\s+/g, '');
    if (!phone) {
      throw new TenderError(
        'invalid_data',
        "MB WAY needs the customer's mobile number: pass it as data.phone when initiating the payment.",
      );
    }
    const indicative = (str(input.data?.phone_indicative) ?? '351').replace(/^\+/, '');
    const mobileNumber = `${indicative}#${phone}`;
    const body: Record<string, string> = {
      mbWayKey: this.options.mbWayKey!,
      orderId: input.session_id,
      amount,
      mobileNumber,
      description: this.options.description,
    };
    if (input.context?.customer?.email) body.email = input.context.customer.email;
    const created = await this.client.request('POST', '/spg/payment/mbway', body);
    if (created.Status !== MBWAY_REQUEST_ACCEPTED || !str(created.RequestId)) {
      throw new TenderError(
        'provider_error',
        `Ifthenpay did not send the MB WAY request (status ${str(created.Status) ?? '?'}): ${str(created.Message) ?? 'no reason given'}.`,
      );
    }
    return {
      request_id: str(created.RequestId)!,
      method: 'mbway',
      order_id: input.session_id,
      amount,
      mobile_number: mobileNumber,
      mbway_status: MbwayStatusCodes.PENDING,
    };
  }

  private requestId(data: Record<string, unknown>): string {
    const id = str(data.request_id);
    if (!id) throw new TenderError('invalid_data', 'Payment data has no request_id: was it created by the Ifthenpay provider?');
    return id;
  }

  /** MB WAY can be asked; a Multibanco reference is only ever known paid through its callback. */
  private async currentStatus(
    data: Record<string, unknown>,
  ): Promise<{ status: PaymentSessionStatus; data: Record<string, unknown> }> {
    const requestId = this.requestId(data);
    if (data.canceled === true) return { status: PaymentSessionStatus.CANCELED, data };
    if (data.method !== 'mbway') return { status: PaymentSessionStatus.PENDING, data };
    const answer: IfthenpayObject = await this.client.request('GET', '/spg/payment/mbway/status', {
      mbWayKey: this.options.mbWayKey ?? '',
      requestId,
    });
    const code = str(answer.Status);
    return { status: sessionStatusOfMbway(code), data: { ...data, mbway_status: code } };
  }

  async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    return this.currentStatus(input.data);
  }

  /** MB WAY requests have a status call; a Multibanco reference is settled only by its callback. */
  override canAskStatus(data: Record<string, unknown>): boolean {
    return data.method === 'mbway';
  }

  async getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    return this.currentStatus(input.data);
  }

  override async retrievePayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    return { data: (await this.currentStatus(input.data)).data };
  }

  /** Multibanco and MB WAY are sales: the money was collected when the customer paid. */
  async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    this.requestId(input.data);
    return { data: input.data };
  }

  /**
   * Ifthenpay's refund endpoint needs the backoffice key and takes no idempotency key: a retried
   * refund would refund twice, so the module must not retry this blindly (see README).
   */
  async refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput> {
    const requestId = this.requestId(input.data);
    if (!this.options.backofficeKey) {
      throw new TenderError('not_allowed', 'Ifthenpay refunds need the backofficeKey option: add it to the provider options.');
    }
    const answer = await this.client.request('POST', '/endpoint/payments/refund', {
      backofficekey: this.options.backofficeKey,
      requestId,
      amount: toIfthenpayAmount(input.amount),
    });
    if (str(answer.Code) !== '1') {
      throw new TenderError('provider_error', `Ifthenpay refused the refund: ${str(answer.Message) ?? 'no reason given'}.`);
    }
    const refunded = Array.isArray(input.data.refunds) ? (input.data.refunds as string[]) : [];
    return { data: { ...input.data, refunds: [...refunded, toIfthenpayAmount(input.amount)] } };
  }

  /**
   * Ifthenpay has no call to withdraw a reference or an MB WAY request: they expire. The session is
   * marked canceled; a late payment still arrives by callback and the module sees it.
   */
  async cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    this.requestId(input.data);
    return { data: { ...input.data, canceled: true } };
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const callback = readCallbackParams(payload.query ?? {});
    assertAntiPhishingKey(callback, this.options.antiPhishingKey);
    return callbackToAction(callback);
  }
}
