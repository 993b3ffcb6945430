import type { ProviderContext } from '@tender/core';
import type { WebhookAuthorizationInput, WebhookAuthorizationResult } from './authorization.js';
import { CollectionSessionSection } from './collection-session-section.js';
import type { CaptureDTO, PaymentDTO, RefundDTO } from './dto.js';
import type { FindConfig } from './list-options.js';
import type { ListMovementsFilter } from './movement-records.js';
import { retrievePayment } from './payment-loader.js';
import type { ListPaymentsFilter, PaymentRelation, UpdatePaymentInput } from './payment-queries.js';
import type { CapturePaymentInput, RefundPaymentInput } from './payments.js';
import { many } from './service-base.js';
import type { WebhookClaim } from './webhook-trust.js';

/** `PaymentModuleService`'s payments: authorization, merchant and provider-reported captures and refunds, cancellation, reads. */
export abstract class PaymentSection extends CollectionSessionSection {
  // Payments
  /** Asks the provider whether the session is authorized and creates its payment. */
  authorizePaymentSession(id: string, context?: ProviderContext): Promise<PaymentDTO> {
    return this.authorizer.authorizePaymentSession(id, context);
  }

  /**
   * Used by the webhook workflow: `authorizePaymentSession` for a verified webhook, which may act only on a
   * session of its own provider and tenant, and only for the money the gateway's status (or, for a gateway
   * with no status call, the webhook itself) proves. Records the capture it reports in the same transaction
   * and says whether this call created the payment. Calls made at the same moment (a worker's batch)
   * share their reads and their write: one statement and one commit for all of them.
   */
  applyWebhookAuthorization(sessionId: string, input: WebhookAuthorizationInput): Promise<WebhookAuthorizationResult> {
    return this.authorizer.applyWebhookAuthorization(sessionId, input);
  }

  capturePayment(input: CapturePaymentInput): Promise<PaymentDTO> {
    return this.merchantMovements.capture(input);
  }

  refundPayment(input: RefundPaymentInput): Promise<PaymentDTO> {
    return this.merchantMovements.refund(input);
  }

  cancelPayment(id: string): Promise<PaymentDTO> {
    return this.cancellation.cancel(id);
  }

  /** Records captures a provider already made (from a webhook): its running total, or one capture named by `reference`. */
  recordProviderCapture(
    paymentId: string,
    amount: string,
    options?: { reference?: string; webhook?: WebhookClaim },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    return this.providerMovements.recordCapture(paymentId, amount, options);
  }

  /** Records refunds a provider reports (from a webhook): its running total, or one refund named by `reference`. */
  recordProviderRefund(
    paymentId: string,
    amount: string,
    options?: { reference?: string; webhook?: WebhookClaim },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    return this.providerMovements.recordRefund(paymentId, amount, options);
  }

  retrievePayment(id: string, config?: FindConfig<PaymentRelation>): Promise<PaymentDTO> {
    return config ? this.paymentQueries.retrieve(id, config) : retrievePayment(this.ctx.orm, id);
  }

  async listPayments(filter?: ListPaymentsFilter, config?: FindConfig<PaymentRelation>): Promise<PaymentDTO[]> {
    return (await this.paymentQueries.listAndCount(filter, config, false))[0];
  }

  listAndCountPayments(filter?: ListPaymentsFilter, config?: FindConfig<PaymentRelation>): Promise<[PaymentDTO[], number]> {
    return this.paymentQueries.listAndCount(filter, config);
  }

  updatePayment(input: UpdatePaymentInput): Promise<PaymentDTO> {
    return this.paymentQueries.update(input);
  }

  listCaptures(filter?: ListMovementsFilter, config?: FindConfig<never>): Promise<CaptureDTO[]> {
    return this.movements.listCaptures(filter, config);
  }

  listRefunds(filter?: ListMovementsFilter, config?: FindConfig<never>): Promise<RefundDTO[]> {
    return this.movements.listRefunds(filter, config);
  }

  deleteCaptures(ids: string | string[]): Promise<void> {
    return this.movements.deleteCaptures(many(ids));
  }

  deleteRefunds(ids: string | string[]): Promise<void> {
    return this.movements.deleteRefunds(many(ids));
  }
}
