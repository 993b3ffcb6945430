import {
  type PaymentSessionStatus,
  type ProviderContext,
  type ProviderWebhookPayload,
  TenderError,
  type WebhookActionAndData,
} from '@tender/core';
import { generateId, IdPrefix } from '../ids.js';
import { AccountHolder, DEFAULT_TENANT, RefundReason } from '../models/index.js';
import type { WebhookAuthorizationInput, WebhookAuthorizationRequest, WebhookAuthorizationResult } from './authorization.js';
import {
  CollectionOperations,
  type CreatePaymentCollectionInput,
  type ListPaymentCollectionsFilter,
  type Pagination,
  type UpdatePaymentCollectionInput,
} from './collections.js';
import type { ServiceContext } from './context.js';
import type { PaymentCollectionDTO, PaymentDTO, PaymentSessionDTO } from './dto.js';
import { type CapturePaymentInput, PaymentOperations, type RefundPaymentInput } from './payments.js';
import { callProvider } from './provider-call.js';
import { type CreatePaymentSessionInput, SessionOperations, type UpdatePaymentSessionInput } from './sessions.js';

export interface PaymentProviderDTO {
  id: string;
  identifier: string;
  /** The path segment of this provider's webhook route: `/hooks/payment/{route_key}`. */
  route_key: string;
  is_enabled: boolean;
}

/**
 * The module's public surface, shaped like Medusa's IPaymentModuleService. Every state change runs in
 * a transaction holding its payment collection's row lock; provider calls happen outside it.
 */
export class PaymentModuleService {
  private readonly collections: CollectionOperations;
  private readonly sessions: SessionOperations;
  private readonly payments: PaymentOperations;

  constructor(private readonly ctx: ServiceContext) {
    this.collections = new CollectionOperations(ctx);
    this.sessions = new SessionOperations(ctx);
    this.payments = new PaymentOperations(ctx);
  }

  // Payment collections
  createPaymentCollections(input: CreatePaymentCollectionInput): Promise<PaymentCollectionDTO>;
  createPaymentCollections(input: CreatePaymentCollectionInput[]): Promise<PaymentCollectionDTO[]>;
  async createPaymentCollections(input: CreatePaymentCollectionInput | CreatePaymentCollectionInput[]) {
    if (!Array.isArray(input)) return this.collections.create(input);
    const created: PaymentCollectionDTO[] = [];
    for (const one of input) created.push(await this.collections.create(one));
    return created;
  }

  updatePaymentCollections(id: string, input: UpdatePaymentCollectionInput): Promise<PaymentCollectionDTO> {
    return this.collections.update(id, input);
  }

  retrievePaymentCollection(
    id: string,
    options?: { relations?: ('payment_sessions' | 'payments')[] },
  ): Promise<PaymentCollectionDTO> {
    return this.collections.retrieve(id, options);
  }

  listPaymentCollections(filter?: ListPaymentCollectionsFilter, page?: Pagination): Promise<PaymentCollectionDTO[]> {
    return this.collections.list(filter, page);
  }

  deletePaymentCollections(ids: string | string[]): Promise<void> {
    return this.collections.delete(Array.isArray(ids) ? ids : [ids]);
  }

  // Payment sessions
  createPaymentSession(collectionId: string, input: CreatePaymentSessionInput): Promise<PaymentSessionDTO> {
    return this.sessions.create(collectionId, input);
  }

  updatePaymentSession(input: UpdatePaymentSessionInput): Promise<PaymentSessionDTO> {
    return this.sessions.update(input);
  }

  deletePaymentSession(id: string): Promise<void> {
    return this.sessions.delete(id);
  }

  retrievePaymentSession(id: string): Promise<PaymentSessionDTO> {
    return this.sessions.retrieve(id);
  }

  /** The sessions of `ids` that exist, in one read (in no particular order). */
  retrievePaymentSessions(ids: string[]): Promise<PaymentSessionDTO[]> {
    return this.sessions.retrieveMany(ids);
  }

  listPaymentSessions(filter?: {
    payment_collection_id?: string;
    provider_id?: string;
    status?: string;
  }): Promise<PaymentSessionDTO[]> {
    return this.sessions.list(filter);
  }

  /** Used by the webhook workflow for statuses that move no money; never downgrades an authorized session. */
  updatePaymentSessionStatus(
    id: string,
    status: PaymentSessionStatus,
  ): Promise<{ changed: boolean; session: PaymentSessionDTO }> {
    return this.sessions.applyWebhookStatus(id, status);
  }

  // Payments
  /**
   * Asks the provider whether the session is authorized and creates its payment. `verifiedWebhookStatus`
   * (set by the webhook workflow) lets a verified webhook decide when the provider has no status to ask.
   */
  authorizePaymentSession(
    id: string,
    context?: ProviderContext,
    options?: { verifiedWebhookStatus?: 'authorized' | 'captured' },
  ): Promise<PaymentDTO> {
    return this.payments.authorizeSession(id, context, options);
  }

  /**
   * Used by the webhook workflow: `authorizePaymentSession` on a verified webhook's word, recording the
   * capture it reports in the same transaction, and saying whether this call created the payment.
   */
  applyWebhookAuthorization(sessionId: string, input: WebhookAuthorizationInput): Promise<WebhookAuthorizationResult> {
    return this.payments.applyWebhookAuthorization(sessionId, input);
  }

  /**
   * `applyWebhookAuthorization` for many sessions (a worker's batch of webhooks), answered in the order
   * asked, each as the single call would answer it. The new payments of sessions in different
   * collections are written in one transaction, so a batch costs one commit instead of one per webhook.
   */
  applyWebhookAuthorizations(
    requests: WebhookAuthorizationRequest[],
  ): Promise<PromiseSettledResult<WebhookAuthorizationResult>[]> {
    return this.payments.applyWebhookAuthorizations(requests);
  }

  capturePayment(input: CapturePaymentInput): Promise<PaymentDTO> {
    return this.payments.capture(input);
  }

  refundPayment(input: RefundPaymentInput): Promise<PaymentDTO> {
    return this.payments.refund(input);
  }

  cancelPayment(id: string): Promise<PaymentDTO> {
    return this.payments.cancel(id);
  }

  /** Records captures a provider already made (from a webhook): its running total, or one capture named by `reference`. */
  recordProviderCapture(
    paymentId: string,
    amount: string,
    options?: { reference?: string },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    return this.payments.recordProviderCapture(paymentId, amount, options);
  }

  /** Records refunds a provider reports (from a webhook): its running total, or one refund named by `reference`. */
  recordProviderRefund(
    paymentId: string,
    amount: string,
    options?: { reference?: string },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    return this.payments.recordProviderRefund(paymentId, amount, options);
  }

  retrievePayment(id: string): Promise<PaymentDTO> {
    return this.payments.retrieve(id);
  }

  listPayments(filter?: { payment_collection_id?: string; payment_session_id?: string }): Promise<PaymentDTO[]> {
    return this.payments.list(filter);
  }

  // Providers and webhooks
  async listPaymentProviders(): Promise<PaymentProviderDTO[]> {
    return this.ctx.registry.list().map((p) => ({ id: p.id, identifier: p.identifier, route_key: p.routeKey, is_enabled: true }));
  }

  /**
   * Asks the provider what a webhook means. `provider` is the registry id (`pp_stripe_stripe`) or its
   * route key (`stripe_stripe`); the payload must carry the raw request bytes for signature checks.
   */
  async getWebhookActionAndData(input: {
    provider: string;
    payload: ProviderWebhookPayload;
    tenant?: string;
  }): Promise<WebhookActionAndData> {
    const id = input.provider.startsWith('pp_') ? input.provider : `pp_${input.provider}`;
    const provider = await this.ctx.registry.instanceFor(id, input.tenant);
    if (!Buffer.isBuffer(input.payload.rawData)) {
      throw new TenderError(
        'invalid_data',
        'payload.rawData must be the request body as a Buffer: signatures are checked on the exact bytes.',
      );
    }
    return callProvider(id, 'read a webhook', () => provider.getWebhookActionAndData(input.payload));
  }

  // Refund reasons
  async createRefundReason(input: {
    code: string;
    label: string;
    description?: string;
  }): Promise<{ id: string; code: string; label: string }> {
    if (!input.code || !input.label) throw new TenderError('invalid_data', 'A refund reason needs a code and a label.');
    const em = this.ctx.orm.em.fork();
    const reason = em.create(RefundReason, { id: generateId(IdPrefix.refundReason), ...input });
    await em.flush();
    return { id: reason.id, code: reason.code, label: reason.label };
  }

  async listRefundReasons(): Promise<{ id: string; code: string; label: string }[]> {
    const rows = await this.ctx.orm.em.fork().find(RefundReason, {}, { orderBy: { code: 'asc' } });
    return rows.map((r) => ({ id: r.id, code: r.code, label: r.label }));
  }

  // Account holders
  async createAccountHolder(input: {
    provider_id: string;
    customer: { id: string; email?: string; name?: string };
    tenant?: string;
  }): Promise<{ id: string; external_id: string; data: Record<string, unknown> }> {
    const tenant = input.tenant ?? DEFAULT_TENANT;
    const em = this.ctx.orm.em.fork();
    const existing = await em.findOne(AccountHolder, { tenant, provider_id: input.provider_id, customer_id: input.customer.id });
    if (existing) return { id: existing.id, external_id: existing.external_id, data: existing.data };
    const provider = await this.ctx.registry.instanceFor(input.provider_id, tenant);
    if (!provider.createAccountHolder) {
      throw new TenderError('not_allowed', `Provider ${input.provider_id} does not support account holders.`);
    }
    const created = await callProvider(input.provider_id, 'create an account holder', () =>
      provider.createAccountHolder!({
        context: { customer: input.customer, tenant, idempotency_key: `${input.customer.id}:account-holder` },
      }),
    );
    const holder = em.create(AccountHolder, {
      id: generateId(IdPrefix.accountHolder),
      tenant,
      provider_id: input.provider_id,
      customer_id: input.customer.id,
      external_id: created.id,
      email: input.customer.email ?? null,
      data: created.data ?? {},
    });
    await em.flush();
    return { id: holder.id, external_id: holder.external_id, data: holder.data };
  }
}
