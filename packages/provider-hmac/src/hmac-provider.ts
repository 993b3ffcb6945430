import {
  AbstractPaymentProvider,
  type AuthorizePaymentOutput,
  assertPositiveAmount,
  type CapturePaymentInput,
  type GetPaymentStatusOutput,
  type InitiatePaymentInput,
  type InitiatePaymentOutput,
  type PaymentDataInput,
  type PaymentDataOutput,
  PaymentSessionStatus,
  type ProviderData,
  type ProviderDependencies,
  type ProviderWebhookPayload,
  parseExactJsonObject,
  type RefundPaymentInput,
  TenderError,
  type WebhookActionAndData,
} from '@tender/core';
import { toGatewayAmount } from './amounts.js';
import { GatewayClient } from './gateway-client.js';
import { type LedgerName, recordedEntry, withEntry } from './local-ledger.js';
import { type HmacProviderOptions, hmacProviderOptions } from './options.js';
import { readEvent } from './read-event.js';
import { readOrderPayment } from './read-order-payment.js';
import { verifyDelivery } from './verify-signature.js';

const SESSION_STATUSES = new Set<string>(Object.values(PaymentSessionStatus));

function gatewayStatus(value: unknown, fallback?: PaymentSessionStatus): PaymentSessionStatus {
  if (typeof value === 'string' && SESSION_STATUSES.has(value)) return value as PaymentSessionStatus;
  if (value === undefined && fallback) return fallback;
  throw new TenderError(
    'provider_error',
    `Gateway answered status ${JSON.stringify(value)}; expected one of ${[...SESSION_STATUSES].join(', ')}.`,
  );
}

function reference(data: ProviderData): string {
  if (typeof data.reference !== 'string' || data.reference.length === 0) {
    throw new TenderError('invalid_data', 'Payment data has no "reference": it must come from this provider\'s initiatePayment.');
  }
  return data.reference;
}

/**
 * `pp_hmac_{id}`: a gateway that signs its webhooks with an HMAC (X-Signature or Standard Webhooks).
 * Without `apiBaseUrl` it is a manual / asynchronous gateway: initiate hands out a reference the customer pays
 * against, and capture/refund are recorded locally. With `apiBaseUrl`, each operation is a POST to the
 * gateway carrying the operation's idempotency key (paths in README.md).
 */
export class HmacPaymentProvider extends AbstractPaymentProvider<HmacProviderOptions> {
  static override identifier = 'hmac';
  static override optionsSchema = hmacProviderOptions;
  static override credentialFields = {};

  private readonly client?: GatewayClient;

  constructor(dependencies: ProviderDependencies, options: HmacProviderOptions) {
    super(dependencies, options);
    if (options.apiBaseUrl) {
      this.client = new GatewayClient({
        baseUrl: options.apiBaseUrl,
        apiKey: options.apiKey,
        timeoutMs: options.apiTimeoutMs,
        fetch: dependencies.fetch ?? fetch,
      });
    }
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const payment = { session_id: input.session_id, amount: input.amount, currency_code: input.currency_code };
    if (!this.client) {
      const id = `hmac_${input.session_id}`;
      const status = PaymentSessionStatus.PENDING;
      return { id, status, data: { ...input.data, ...payment, reference: id, status } };
    }
    const response = await this.client.post(
      'payments',
      { ...payment, amount: toGatewayAmount(input.amount, input.currency_code, this.options.amountUnit) },
      input.context?.idempotency_key ?? `initiate:${input.session_id}`,
    );
    if (typeof response.id !== 'string' || response.id.length === 0) {
      throw new TenderError('provider_error', 'Gateway POST /payments answered without a string "id".');
    }
    const status = gatewayStatus(response.status, PaymentSessionStatus.PENDING);
    return { id: response.id, status, data: { ...input.data, ...payment, reference: response.id, status, gateway: response } };
  }

  /**
   * Without an API there is nothing to ask: the gateway confirms by webhook, and the webhook's workflow
   * authorizes the session, so authorization succeeds locally (as the manual system provider does).
   */
  async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    if (!this.client) {
      const status = PaymentSessionStatus.AUTHORIZED;
      return { status, data: { ...input.data, status } };
    }
    const ref = reference(input.data);
    const response = await this.client.post(
      `payments/${encodeURIComponent(ref)}/authorize`,
      {},
      input.context?.idempotency_key ?? `authorize:${ref}`,
    );
    const status = gatewayStatus(response.status);
    return { status, data: { ...input.data, status } };
  }

  async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    const amount = assertPositiveAmount(input.amount ?? input.data.amount, 'capture amount');
    const data = await this.recordMovement(input, 'captures', 'capture', amount);
    return { data: { ...data, status: PaymentSessionStatus.CAPTURED } };
  }

  async refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput> {
    const amount = assertPositiveAmount(input.amount, 'refund amount');
    return { data: await this.recordMovement(input, 'refunds', 'refunds', amount) };
  }

  async cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    if (input.data.status === PaymentSessionStatus.CANCELED) return { data: input.data };
    if (this.client) {
      const ref = reference(input.data);
      await this.client.post(`payments/${encodeURIComponent(ref)}/cancel`, {}, input.context?.idempotency_key ?? `cancel:${ref}`);
    }
    return { data: { ...input.data, status: PaymentSessionStatus.CANCELED } };
  }

  /** Without `apiBaseUrl` there is no status to ask: the gateway's signed webhook decides. */
  override canAskStatus(): boolean {
    return this.client !== undefined;
  }

  async getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    if (!this.client) return { status: gatewayStatus(input.data.status, PaymentSessionStatus.PENDING), data: input.data };
    const response = await this.client.get(`payments/${encodeURIComponent(reference(input.data))}`);
    const status = gatewayStatus(response.status);
    return { status, data: { ...input.data, status } };
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const delivery = verifyDelivery(payload, this.options);
    const body = parseExactJsonObject(payload.rawData);
    return this.options.mode === 'order-payment'
      ? readOrderPayment(body, delivery, this.options)
      : readEvent(body, delivery, this.options);
  }

  /**
   * Records a capture or refund once per idempotency key: a retry whose data already holds the entry returns
   * it unchanged, and an API call carries the key so the gateway deduplicates a retry whose first answer was lost.
   */
  private async recordMovement(
    input: PaymentDataInput & { currency_code?: string },
    ledgerName: LedgerName,
    path: 'capture' | 'refunds',
    amount: string,
  ): Promise<ProviderData> {
    const key = input.context?.idempotency_key;
    if (recordedEntry(input.data, ledgerName, key)) return input.data;
    if (!this.client) return withEntry(input.data, ledgerName, { idempotency_key: key, amount });
    const currency = input.currency_code ?? String(input.data.currency_code ?? '');
    const response = await this.client.post(
      `payments/${encodeURIComponent(reference(input.data))}/${path}`,
      { amount: toGatewayAmount(amount, currency, this.options.amountUnit), currency_code: currency },
      key,
    );
    return withEntry(input.data, ledgerName, {
      idempotency_key: key,
      amount,
      id: typeof response.id === 'string' ? response.id : undefined,
    });
  }
}
