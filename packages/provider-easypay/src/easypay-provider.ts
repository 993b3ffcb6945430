import { randomUUID } from 'node:crypto';
import {
  AbstractPaymentProvider,
  type AuthorizePaymentOutput,
  type CapturePaymentInput,
  type GetPaymentStatusOutput,
  type InitiatePaymentInput,
  type InitiatePaymentOutput,
  jsonNumber,
  type PaymentDataInput,
  type PaymentDataOutput,
  PaymentSessionStatus,
  type ProviderContext,
  type ProviderDependencies,
  type ProviderWebhookPayload,
  type RefundPaymentInput,
  TenderError,
  type UpdatePaymentInput,
  type UpdatePaymentOutput,
  type WebhookActionAndData,
} from '@tender/core';
import { EasypayClient, type EasypayObject } from './easypay-client.js';
import { readAmount, toGatewayAmount } from './gateway-amount.js';
import { toEasypayKey } from './gateway-key.js';
import { parseGenericNotification, resolveNotification } from './notification.js';
import { assertNotificationCredentials } from './notification-auth.js';
import { type EasypayProviderOptions, easypayProviderOptions } from './options.js';
import { sessionStatusOf } from './status.js';

/** What the provider keeps on the Tender session / payment (`data`). */
export interface EasypayPaymentData extends Record<string, unknown> {
  easypay_id: string;
  session_id: string;
  method: string;
  type: string;
  value: string;
  currency: string;
  payment_status?: string;
  /** Multibanco: what the customer pays at the ATM or home banking. */
  entity?: string;
  reference?: string;
  /** Card: the Easypay page the customer must be sent to. */
  url?: string;
  /** MB WAY: the customer's alias Easypay reported. */
  alias?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * Easypay API 2.0 single payments: Multibanco references, MB WAY and card, one method per registered
 * instance (`method` option). The Tender session id travels as Easypay's `key`, which every
 * notification's payment carries back.
 */
export class EasypayPaymentProvider extends AbstractPaymentProvider<EasypayProviderOptions> {
  static override identifier = 'easypay';
  static override optionsSchema = easypayProviderOptions;
  static override credentialFields = { query: ['secret'], headers: ['authorization'] };

  private readonly client: EasypayClient;

  constructor(dependencies: ProviderDependencies, options: EasypayProviderOptions) {
    super(dependencies, options);
    this.client = new EasypayClient({
      accountId: options.accountId,
      apiKey: options.apiKey,
      apiBaseUrl: options.apiBaseUrl,
      timeoutMs: options.timeoutMs,
      fetch: dependencies.fetch,
    });
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const currency = input.currency_code.toUpperCase();
    const value = toGatewayAmount(input.amount, currency);
    const body: Record<string, unknown> = {
      key: input.session_id,
      type: this.options.type,
      method: this.options.method,
      value: jsonNumber(value),
      currency,
      customer: this.customerOf(input),
    };
    if (this.options.type === 'sale') {
      body.capture = { transaction_key: input.session_id, descriptive: this.options.descriptive };
    }
    const created = await this.client.request({
      method: 'POST',
      path: '/single',
      body,
      idempotencyKey: input.context?.idempotency_key ?? `initiate:${input.session_id}`,
    });
    const id = str(created.id);
    if (!id) throw new TenderError('provider_error', 'Easypay created a single payment without an id.');
    const method = (created.method ?? {}) as EasypayObject;
    const data: EasypayPaymentData = {
      ...input.data,
      easypay_id: id,
      session_id: input.session_id,
      method: this.options.method,
      type: this.options.type,
      value,
      currency,
      payment_status: 'pending',
      ...this.methodDetails(method),
    };
    return { id, data, status: PaymentSessionStatus.PENDING };
  }

  /** MB WAY needs the customer's phone: `data.phone` (and optional `data.phone_indicative`, default +351). */
  private customerOf(input: InitiatePaymentInput): Record<string, unknown> {
    const customer: Record<string, unknown> = {};
    const context = input.context?.customer;
    if (context?.name) customer.name = context.name;
    if (context?.email) customer.email = context.email;
    if (context?.id) customer.key = context.id;
    const phone = str(input.data?.phone);
    if (phone) {
      customer.phone = phone;
      customer.phone_indicative = str(input.data?.phone_indicative) ?? '+351';
    } else if (this.options.method === 'mbw') {
      throw new TenderError(
        'invalid_data',
        "MB WAY needs the customer's mobile number: pass it as data.phone when initiating the payment.",
      );
    }
    return customer;
  }

  private methodDetails(method: EasypayObject): Partial<EasypayPaymentData> {
    const details: Partial<EasypayPaymentData> = {};
    for (const field of ['entity', 'reference', 'url', 'alias'] as const) {
      const value = method[field];
      // Easypay sends entity/reference as numbers in some responses; parseExactJson(…, 'text') keeps their text.
      if (typeof value === 'string' && value) details[field] = value;
    }
    return details;
  }

  private easypayId(data: Record<string, unknown>): string {
    const id = str(data.easypay_id);
    if (!id) throw new TenderError('invalid_data', 'Payment data has no easypay_id: was it created by the Easypay provider?');
    return id;
  }

  private async fetchPayment(data: Record<string, unknown>): Promise<EasypayObject> {
    return this.client.request({ method: 'GET', path: `/single/${encodeURIComponent(this.easypayId(data))}` });
  }

  private merge(data: Record<string, unknown>, payment: EasypayObject): EasypayPaymentData {
    return {
      ...(data as EasypayPaymentData),
      payment_status: str(payment.payment_status) ?? (data.payment_status as string | undefined),
      ...this.methodDetails((payment.method ?? {}) as EasypayObject),
    };
  }

  async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    const payment = await this.fetchPayment(input.data);
    const status = sessionStatusOf(payment.payment_status);
    const currency = str(payment.currency) ?? 'EUR';
    // The single payment's own value: what Easypay holds for it (a sale is taken in full when paid).
    const amount = payment.value === undefined ? undefined : readAmount(payment.value, currency, 'payment value');
    return {
      status,
      data: this.merge(input.data, payment),
      amount,
      captured_amount: amount && status === PaymentSessionStatus.CAPTURED ? amount : undefined,
    };
  }

  async getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    return this.authorizePayment(input);
  }

  override async retrievePayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    const payment = await this.fetchPayment(input.data);
    return { data: this.merge(input.data, payment) };
  }

  async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    const id = this.easypayId(input.data);
    const payment = await this.fetchPayment(input.data);
    const status = payment.payment_status;
    // A sale, or a capture that already went through on an earlier attempt: nothing left to capture.
    if (status === 'paid' || status === 'refunded' || status === 'partially_refunded') {
      return { data: this.merge(input.data, payment) };
    }
    if (status !== 'authorised') {
      throw new TenderError('not_allowed', `Easypay payment ${id} is "${String(status)}", so it cannot be captured.`);
    }
    const currency = str(payment.currency) ?? 'EUR';
    const value = input.amount ? toGatewayAmount(input.amount, currency) : readAmount(payment.value, currency, 'payment value');
    const key = this.operationKey(input.context, 'capture');
    const capture = await this.client.request({
      method: 'POST',
      path: `/capture/${encodeURIComponent(id)}`,
      body: { transaction_key: toEasypayKey(key), descriptive: this.options.descriptive, value: jsonNumber(value) },
      idempotencyKey: key,
    });
    if (!str(capture.id)) throw new TenderError('provider_error', `Easypay accepted the capture of ${id} without a capture id.`);
    // No capture id in data: a retry that finds the payment already paid must return the same data.
    return { data: { ...this.merge(input.data, payment), payment_status: 'paid' } };
  }

  async refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput> {
    const id = this.easypayId(input.data);
    const currency = str(input.data.currency) ?? input.currency_code?.toUpperCase() ?? 'EUR';
    const value = toGatewayAmount(input.amount, currency);
    const key = this.operationKey(input.context, 'refund');
    const refund = await this.client.request({
      method: 'POST',
      path: `/refund/${encodeURIComponent(id)}`,
      body: { transaction_key: toEasypayKey(key), value: jsonNumber(value) },
      idempotencyKey: key,
    });
    const refunds = Array.isArray(input.data.refund_ids) ? (input.data.refund_ids as string[]) : [];
    const refundId = str(refund.id);
    return { data: { ...input.data, refund_ids: refundId && !refunds.includes(refundId) ? [...refunds, refundId] : refunds } };
  }

  async cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    const id = this.easypayId(input.data);
    const payment = await this.fetchPayment(input.data);
    const status = payment.payment_status;
    if (status === 'authorised') {
      const key = this.operationKey(input.context, 'void');
      await this.client.request({
        method: 'POST',
        path: `/void/${encodeURIComponent(id)}`,
        body: { transaction_key: toEasypayKey(key), descriptive: this.options.descriptive },
        idempotencyKey: key,
      });
      return { data: { ...this.merge(input.data, payment), payment_status: 'voided' } };
    }
    if (status === 'pending') {
      // Easypay cannot delete a Multibanco reference: it simply expires unpaid.
      if (payment.method && (payment.method as EasypayObject).type === 'mb') {
        return { data: { ...this.merge(input.data, payment), cancel_note: 'Multibanco reference left to expire' } };
      }
      await this.client.request({ method: 'DELETE', path: `/single/${encodeURIComponent(id)}` });
      return { data: { ...this.merge(input.data, payment), payment_status: 'deleted' } };
    }
    if (status === 'paid' || status === 'refunded' || status === 'partially_refunded') {
      throw new TenderError(
        'not_allowed',
        `Easypay payment ${id} is already "${String(status)}": refund it instead of canceling.`,
      );
    }
    // voided, deleted, failed, expired: already ended.
    return { data: this.merge(input.data, payment) };
  }

  /** A changed amount needs a new single payment: Easypay does not re-price a pending one. */
  override async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const currency = input.currency_code.toUpperCase();
    const value = toGatewayAmount(input.amount, currency);
    if (value === input.data.value && currency === input.data.currency) return { data: input.data };
    const sessionId = str(input.data.session_id);
    if (!sessionId)
      throw new TenderError('invalid_data', 'Payment data has no session_id: was it created by the Easypay provider?');
    await this.cancelPayment({ data: input.data, context: input.context });
    const created = await this.initiatePayment({
      amount: input.amount,
      currency_code: input.currency_code,
      session_id: sessionId,
      data: input.data,
      context: { ...input.context, idempotency_key: `update:${sessionId}:${value}:${currency}` },
    });
    return { data: created.data, status: created.status };
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    assertNotificationCredentials(payload, this.options.webhookSecret);
    if (payload.method.toUpperCase() !== 'POST') {
      throw new TenderError('invalid_data', `Easypay notifications are POST requests, got ${payload.method}.`);
    }
    const notification = parseGenericNotification(payload.rawData);
    return resolveNotification(this.client, notification, this.dependencies.logger);
  }

  /** The module's idempotency key keeps retries of one operation one operation at Easypay. */
  private operationKey(context: ProviderContext | undefined, operation: string): string {
    return context?.idempotency_key ?? `${operation}:${randomUUID()}`;
  }
}
