// The provider the README's "Write a provider" guide builds, kept here so the guide is tested.
import {
  AbstractPaymentProvider,
  type AuthorizePaymentOutput,
  type CapturePaymentInput,
  type GetPaymentStatusOutput,
  type InitiatePaymentInput,
  type InitiatePaymentOutput,
  type PaymentAction,
  type PaymentDataInput,
  type PaymentDataOutput,
  type ProviderWebhookPayload,
  parseJsonObject,
  type RefundPaymentInput,
  requireHeader,
  TenderError,
  verifyHmacSha256,
  type WebhookActionAndData,
  webhookAmount,
} from '@tender/core';
import { z } from 'zod';

const acmeOptions = z.object({
  /** Secrets that sign Acme's webhooks; list two while rotating. */
  webhookSecrets: z.array(z.string().min(16)).min(1),
});
type AcmeOptions = z.infer<typeof acmeOptions>;

const ACTIONS: Record<string, PaymentAction> = {
  'payment.succeeded': 'captured',
  'payment.failed': 'failed',
  'refund.succeeded': 'refunded',
};

export class AcmePaymentProvider extends AbstractPaymentProvider<AcmeOptions> {
  static override identifier = 'acme';
  static override optionsSchema = acmeOptions;
  // Acme signs its webhooks and sends no credential in them.
  static override credentialFields = {};

  /** Acme has no status API: its signed webhook decides, for the amount it reports. */
  override canAskStatus(): boolean {
    return false;
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    return { id: `acme_${input.session_id}`, data: { session_id: input.session_id, amount: input.amount } };
  }
  async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    return { status: 'authorized', data: input.data };
  }
  async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    return { data: { ...input.data, captured: true } };
  }
  async refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput> {
    return { data: { ...input.data, refunded_amount: input.amount } };
  }
  async cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    return { data: { ...input.data, canceled: true } };
  }
  async getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    return { status: 'authorized', data: input.data };
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const signature = requireHeader(payload, 'x-acme-signature');
    if (!verifyHmacSha256(this.options.webhookSecrets, payload.rawData, signature)) {
      throw new TenderError('unauthorized', 'x-acme-signature does not match the body: check webhookSecrets.');
    }
    const event = parseJsonObject(payload.rawData) as { id?: unknown; type?: unknown; data?: Record<string, unknown> };
    if (typeof event.id !== 'string' || typeof event.type !== 'string') {
      throw new TenderError('invalid_data', 'Acme webhook needs string "id" and "type" fields.');
    }
    const action = ACTIONS[event.type];
    if (!action) return { action: 'not_supported', event_id: event.id, event_type: event.type };
    const data = event.data ?? {};
    if (typeof data.session_id !== 'string') throw new TenderError('invalid_data', 'Acme webhook needs data.session_id.');
    return {
      action,
      event_id: event.id,
      event_type: event.type,
      data: {
        session_id: data.session_id,
        amount: webhookAmount(data.amount, undefined, { label: 'data.amount' }),
        currency_code: String(data.currency),
      },
    };
  }
}
