import {
  AbstractPaymentProvider,
  type AccountHolderInput,
  type AccountHolderOutput,
  type AuthorizePaymentOutput,
  type CapturePaymentInput,
  type GetPaymentStatusOutput,
  headerValue,
  type InitiatePaymentInput,
  type InitiatePaymentOutput,
  type PaymentAction,
  PaymentActions,
  type PaymentDataInput,
  type PaymentDataOutput,
  type PaymentMethodOutput,
  PaymentSessionStatus,
  type ProviderData,
  type ProviderWebhookPayload,
  parseJsonObject,
  type RefundPaymentInput,
  secretSchema,
  TenderError,
  verifyTimestamped,
  type WebhookActionAndData,
  webhookAmount,
} from '@tender/core';
import { z } from 'zod';
import { LocalWallet } from './local-wallet.js';

export const systemProviderOptions = z.object({
  /**
   * Secrets that sign test webhooks in the `X-Tender-Signature: t=…,v1=…` scheme (several during a rotation).
   * Without one, the provider rejects every webhook.
   */
  webhookSecrets: z.array(secretSchema(z.string(), 'text')).default([]),
  /** Seconds a signature stays valid. */
  tolerance: z.number().int().nonnegative().default(300),
});
export type SystemProviderOptions = z.infer<typeof systemProviderOptions>;

export const SYSTEM_SIGNATURE_HEADER = 'x-tender-signature';

/** Event types the system provider's webhooks use, and what each one means. */
export const SYSTEM_EVENT_ACTIONS: Record<string, PaymentAction> = {
  'payment.authorized': PaymentActions.AUTHORIZED,
  'payment.captured': PaymentActions.CAPTURED,
  'payment.failed': PaymentActions.FAILED,
  'payment.canceled': PaymentActions.CANCELED,
  'payment.pending': PaymentActions.PENDING,
  'payment.requires_more': PaymentActions.REQUIRES_MORE,
  'payment.refunded': PaymentActions.REFUNDED,
};

/**
 * `pp_system_default`: a manual provider. Money is collected outside any gateway (cash, bank
 * transfer, tests), so authorize and capture succeed locally; signed webhooks let tests and demos
 * drive the same path a real gateway would.
 */
export class SystemPaymentProvider extends AbstractPaymentProvider<SystemProviderOptions> {
  static override identifier = 'system';
  static override optionsSchema = systemProviderOptions;
  private readonly wallet = new LocalWallet();
  static override credentialFields = {};

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    return { id: `sys_${input.session_id}`, data: { ...input.data, session_id: input.session_id } };
  }

  async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    return { status: PaymentSessionStatus.AUTHORIZED, data: input.data };
  }

  async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    return { data: input.data };
  }

  async refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput> {
    return { data: input.data };
  }

  async cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    return { data: input.data };
  }

  async getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    return { status: PaymentSessionStatus.AUTHORIZED, data: input.data };
  }

  /** There is no gateway: a signed webhook is the only word on a payment. */
  override canAskStatus(): boolean {
    return false;
  }

  async createAccountHolder(input: AccountHolderInput): Promise<AccountHolderOutput> {
    return this.wallet.createAccountHolder(input);
  }

  async updateAccountHolder(input: AccountHolderInput & { data: ProviderData }): Promise<AccountHolderOutput> {
    return this.wallet.updateAccountHolder(input);
  }

  async deleteAccountHolder(input: { data: ProviderData }): Promise<void> {
    this.wallet.deleteAccountHolder(input.data);
  }

  async listPaymentMethods(input: { account_holder_data: ProviderData }): Promise<PaymentMethodOutput[]> {
    return this.wallet.list(input.account_holder_data);
  }

  async savePaymentMethod(input: { account_holder_data: ProviderData; data?: ProviderData }): Promise<PaymentMethodOutput> {
    return this.wallet.save(input.account_holder_data, input.data);
  }

  async deletePaymentMethod(input: { account_holder_data: ProviderData; id: string }): Promise<void> {
    this.wallet.delete(input.account_holder_data, input.id);
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    if (this.options.webhookSecrets.length === 0) {
      throw new TenderError('unauthorized', 'The system provider has no webhookSecrets configured, so it accepts no webhooks.');
    }
    verifyTimestamped(headerValue(payload.headers, SYSTEM_SIGNATURE_HEADER), payload.rawData, {
      secrets: this.options.webhookSecrets,
      toleranceSeconds: this.options.tolerance,
    });
    const body = parseJsonObject(payload.rawData);
    const { id, type, data } = body as { id?: unknown; type?: unknown; data?: Record<string, unknown> };
    if (typeof id !== 'string' || typeof type !== 'string') {
      throw new TenderError('invalid_data', 'System webhook needs string "id" and "type" fields.');
    }
    const action = SYSTEM_EVENT_ACTIONS[type];
    if (!action) return { action: PaymentActions.NOT_SUPPORTED, event_id: id, event_type: type };
    if (!data || typeof data.session_id !== 'string') {
      throw new TenderError('invalid_data', 'System webhook needs data.session_id.');
    }
    const currency = typeof data.currency_code === 'string' ? data.currency_code : undefined;
    return {
      action,
      event_id: id,
      event_type: type,
      data: {
        session_id: data.session_id,
        amount: webhookAmount(data.amount, currency, { action, label: 'data.amount' }),
        currency_code: currency?.toLowerCase(),
      },
    };
  }
}
