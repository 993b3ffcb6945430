import {
  type PaymentSessionStatus,
  type ProviderContext,
  type ProviderWebhookPayload,
  TenderError,
  type WebhookActionAndData,
} from '@tender/core';
import {
  type AccountHolderDTO,
  AccountHolders,
  type CreateAccountHolderInput,
  type UpdateAccountHolderInput,
} from './account-holders.js';
import { SessionAuthorizer, type WebhookAuthorizationInput, type WebhookAuthorizationResult } from './authorization.js';
import {
  type CollectionFindConfig,
  CollectionOperations,
  type CreatePaymentCollectionInput,
  type ListPaymentCollectionsFilter,
  type UpdatePaymentCollectionInput,
  type UpsertPaymentCollectionInput,
} from './collections.js';
import { withConstraintErrors } from './constraint-errors.js';
import type { ServiceContext } from './context.js';
import type { CaptureDTO, PaymentCollectionDTO, PaymentDTO, PaymentSessionDTO, RefundDTO } from './dto.js';
import type { FindConfig } from './list-options.js';
import { type ListMovementsFilter, MovementRecords } from './movement-records.js';
import {
  type CreatePaymentMethodInput,
  type DeletePaymentMethodInput,
  type ListPaymentMethodsFilter,
  type PaymentMethodDTO,
  PaymentMethods,
} from './payment-methods.js';
import { type ListPaymentsFilter, PaymentQueries, type PaymentRelation, type UpdatePaymentInput } from './payment-queries.js';
import { type CapturePaymentInput, PaymentOperations, type RefundPaymentInput } from './payments.js';
import { type EventPipeline, type ProcessEventInput, type ProcessEventResult, processEvent } from './process-event.js';
import { callProvider } from './provider-call.js';
import { type ListPaymentProvidersFilter, type PaymentProviderDTO, PaymentProviders } from './providers-list.js';
import {
  type CreateRefundReasonInput,
  type ListRefundReasonsFilter,
  type RefundReasonDTO,
  RefundReasons,
  type UpdateRefundReasonInput,
} from './refund-reasons.js';
import { type ListPaymentSessionsFilter, SessionQueries } from './session-queries.js';
import { type CreatePaymentSessionInput, SessionOperations, type UpdatePaymentSessionInput } from './sessions.js';
import { StatusReader } from './status-reader.js';
import type { WebhookClaim } from './webhook-trust.js';

export type { PaymentProviderDTO } from './providers-list.js';

const many = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Answers a one-or-many call the way it was asked: one in, one out. */
async function oneOrMany<I, O>(input: I | I[], run: (inputs: I[]) => Promise<O[]>): Promise<O | O[]> {
  const results = await run(many(input));
  return Array.isArray(input) ? results : results[0]!;
}

/**
 * The module's public surface, shaped like Medusa's IPaymentModuleService (names, arguments and return
 * shapes; see the README's "Differences from Medusa"). Every state change runs in a transaction holding
 * its payment collection's row lock; provider calls happen outside it. A database constraint a call
 * breaks reaches the caller as a TenderError.
 */
export class PaymentModuleService {
  private readonly collections: CollectionOperations;
  private readonly sessions: SessionOperations;
  private readonly sessionQueries: SessionQueries;
  private readonly payments: PaymentOperations;
  private readonly paymentQueries: PaymentQueries;
  private readonly movements: MovementRecords;
  private readonly refundReasons: RefundReasons;
  private readonly accountHolders: AccountHolders;
  private readonly paymentMethods: PaymentMethods;
  private readonly providers: PaymentProviders;
  private readonly authorizer: SessionAuthorizer;
  private pipeline: EventPipeline | undefined;

  constructor(private readonly ctx: ServiceContext) {
    this.collections = new CollectionOperations(ctx);
    this.sessions = new SessionOperations(ctx);
    this.sessionQueries = new SessionQueries(ctx);
    const statuses = new StatusReader();
    this.payments = new PaymentOperations(ctx, statuses);
    this.authorizer = new SessionAuthorizer(ctx, (id) => this.payments.retrieve(id), statuses);
    this.paymentQueries = new PaymentQueries(ctx);
    this.movements = new MovementRecords(ctx);
    this.refundReasons = new RefundReasons(ctx);
    this.accountHolders = new AccountHolders(ctx);
    this.paymentMethods = new PaymentMethods(ctx, this.accountHolders);
    this.providers = new PaymentProviders(ctx);
    translateErrorsOf(this);
  }

  /** Set by createPaymentModule: the webhook route's receiver and the worker, for `processEvent`. */
  attachEventPipeline(pipeline: EventPipeline): void {
    this.pipeline = pipeline;
  }

  // Payment collections
  createPaymentCollections(input: CreatePaymentCollectionInput): Promise<PaymentCollectionDTO>;
  createPaymentCollections(input: CreatePaymentCollectionInput[]): Promise<PaymentCollectionDTO[]>;
  createPaymentCollections(input: CreatePaymentCollectionInput | CreatePaymentCollectionInput[]) {
    return oneOrMany(input, (inputs) => this.inSequence(inputs, (one) => this.collections.create(one)));
  }

  updatePaymentCollections(id: string, input: UpdatePaymentCollectionInput): Promise<PaymentCollectionDTO>;
  updatePaymentCollections(
    selector: ListPaymentCollectionsFilter,
    input: UpdatePaymentCollectionInput,
  ): Promise<PaymentCollectionDTO[]>;
  updatePaymentCollections(idOrSelector: string | ListPaymentCollectionsFilter, input: UpdatePaymentCollectionInput) {
    return typeof idOrSelector === 'string'
      ? this.collections.update(idOrSelector, input)
      : this.collections.updateMatching(idOrSelector, input);
  }

  upsertPaymentCollections(input: UpsertPaymentCollectionInput): Promise<PaymentCollectionDTO>;
  upsertPaymentCollections(input: UpsertPaymentCollectionInput[]): Promise<PaymentCollectionDTO[]>;
  upsertPaymentCollections(input: UpsertPaymentCollectionInput | UpsertPaymentCollectionInput[]) {
    return oneOrMany(input, (inputs) => this.inSequence(inputs, (one) => this.collections.upsert(one)));
  }

  retrievePaymentCollection(id: string, config?: CollectionFindConfig): Promise<PaymentCollectionDTO> {
    return this.collections.retrieve(id, config);
  }

  listPaymentCollections(filter?: ListPaymentCollectionsFilter, config?: CollectionFindConfig): Promise<PaymentCollectionDTO[]> {
    return this.collections.list(filter, config);
  }

  listAndCountPaymentCollections(
    filter?: ListPaymentCollectionsFilter,
    config?: CollectionFindConfig,
  ): Promise<[PaymentCollectionDTO[], number]> {
    return this.collections.listAndCount(filter, config);
  }

  deletePaymentCollections(ids: string | string[]): Promise<void> {
    return this.collections.delete(many(ids));
  }

  async softDeletePaymentCollections(ids: string | string[], _config?: unknown): Promise<Record<string, string[]> | undefined> {
    await this.collections.softDelete(many(ids));
    return undefined;
  }

  async restorePaymentCollections(ids: string | string[], _config?: unknown): Promise<Record<string, string[]> | undefined> {
    await this.collections.restore(many(ids));
    return undefined;
  }

  completePaymentCollections(id: string): Promise<PaymentCollectionDTO>;
  completePaymentCollections(ids: string[]): Promise<PaymentCollectionDTO[]>;
  completePaymentCollections(ids: string | string[]) {
    return oneOrMany(ids, (list) => this.collections.complete(list));
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

  retrievePaymentSession(id: string, config?: FindConfig<never>): Promise<PaymentSessionDTO> {
    return config ? this.sessionQueries.retrieve(id, config) : this.sessions.retrieve(id);
  }

  /** The sessions of `ids` that exist, in one read (in no particular order). */
  retrievePaymentSessions(ids: string[]): Promise<PaymentSessionDTO[]> {
    return this.sessions.retrieveMany(ids);
  }

  listPaymentSessions(filter?: ListPaymentSessionsFilter, config?: FindConfig<never>): Promise<PaymentSessionDTO[]> {
    return this.sessionQueries.list(filter, config);
  }

  /** Used by the webhook workflow for statuses that move no money; never downgrades an authorized session. */
  updatePaymentSessionStatus(
    id: string,
    status: PaymentSessionStatus,
    webhook?: WebhookClaim,
  ): Promise<{ changed: boolean; session: PaymentSessionDTO }> {
    return this.sessions.applyWebhookStatus(id, status, webhook);
  }

  // Payments
  /** Asks the provider whether the session is authorized and creates its payment. */
  authorizePaymentSession(id: string, context?: ProviderContext): Promise<PaymentDTO> {
    return this.authorizer.authorizeForMerchant(id, context);
  }

  /**
   * Used by the webhook workflow: `authorizePaymentSession` for a verified webhook, which may act only on a
   * session of its own provider and tenant, and only for the money the gateway's status (or, for a gateway
   * with no status call, the webhook itself) proves. Records the capture it reports in the same transaction
   * and says whether this call created the payment. Calls made at the same moment (a worker's batch)
   * share their reads and their write: one statement and one commit for all of them.
   */
  applyWebhookAuthorization(sessionId: string, input: WebhookAuthorizationInput): Promise<WebhookAuthorizationResult> {
    return this.authorizer.authorizeForWebhook(sessionId, input);
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
    options?: { reference?: string; webhook?: WebhookClaim },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    return this.payments.recordProviderCapture(paymentId, amount, options);
  }

  /** Records refunds a provider reports (from a webhook): its running total, or one refund named by `reference`. */
  recordProviderRefund(
    paymentId: string,
    amount: string,
    options?: { reference?: string; webhook?: WebhookClaim },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    return this.payments.recordProviderRefund(paymentId, amount, options);
  }

  retrievePayment(id: string, config?: FindConfig<PaymentRelation>): Promise<PaymentDTO> {
    return config ? this.paymentQueries.retrieve(id, config) : this.payments.retrieve(id);
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

  // Providers and webhooks
  listPaymentProviders(filter?: ListPaymentProvidersFilter, config?: FindConfig<never>): Promise<PaymentProviderDTO[]> {
    return this.providers.list(filter, config);
  }

  listAndCountPaymentProviders(
    filter?: ListPaymentProvidersFilter,
    config?: FindConfig<never>,
  ): Promise<[PaymentProviderDTO[], number]> {
    return this.providers.listAndCount(filter, config);
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

  /** Medusa's webhook entry point, for hosts with their own transport: verify and store as the route does, then apply. */
  processEvent(input: ProcessEventInput): Promise<ProcessEventResult> {
    return processEvent(this.ctx, this.pipeline, input);
  }

  // Refund reasons
  createRefundReasons(input: CreateRefundReasonInput): Promise<RefundReasonDTO>;
  createRefundReasons(input: CreateRefundReasonInput[]): Promise<RefundReasonDTO[]>;
  createRefundReasons(input: CreateRefundReasonInput | CreateRefundReasonInput[]) {
    return oneOrMany(input, (inputs) => this.refundReasons.create(inputs));
  }

  /** The singular form Tender had first. */
  createRefundReason(input: CreateRefundReasonInput): Promise<RefundReasonDTO> {
    return this.createRefundReasons(input);
  }

  updateRefundReasons(input: UpdateRefundReasonInput): Promise<RefundReasonDTO>;
  updateRefundReasons(input: UpdateRefundReasonInput[]): Promise<RefundReasonDTO[]>;
  updateRefundReasons(input: UpdateRefundReasonInput | UpdateRefundReasonInput[]) {
    return oneOrMany(input, (inputs) => this.refundReasons.update(inputs));
  }

  listRefundReasons(filter?: ListRefundReasonsFilter, config?: FindConfig<never>): Promise<RefundReasonDTO[]> {
    return this.refundReasons.list(filter, config);
  }

  deleteRefundReasons(ids: string | string[]): Promise<void> {
    return this.refundReasons.delete(many(ids));
  }

  async softDeleteRefundReasons(ids: string | string[], _config?: unknown): Promise<Record<string, string[]> | undefined> {
    await this.refundReasons.softDelete(many(ids));
    return undefined;
  }

  async restoreRefundReasons(ids: string | string[], _config?: unknown): Promise<Record<string, string[]> | undefined> {
    await this.refundReasons.restore(many(ids));
    return undefined;
  }

  // Account holders and payment methods
  createAccountHolder(input: CreateAccountHolderInput): Promise<AccountHolderDTO> {
    return this.accountHolders.create(input);
  }

  updateAccountHolder(input: UpdateAccountHolderInput): Promise<AccountHolderDTO> {
    return this.accountHolders.update(input);
  }

  deleteAccountHolder(id: string): Promise<void> {
    return this.accountHolders.delete(id);
  }

  async listPaymentMethods(filter: ListPaymentMethodsFilter, config?: FindConfig<never>): Promise<PaymentMethodDTO[]> {
    return (await this.paymentMethods.listAndCount(filter, config))[0];
  }

  listAndCountPaymentMethods(
    filter: ListPaymentMethodsFilter,
    config?: FindConfig<never>,
  ): Promise<[PaymentMethodDTO[], number]> {
    return this.paymentMethods.listAndCount(filter, config);
  }

  createPaymentMethods(input: CreatePaymentMethodInput): Promise<PaymentMethodDTO>;
  createPaymentMethods(input: CreatePaymentMethodInput[]): Promise<PaymentMethodDTO[]>;
  createPaymentMethods(input: CreatePaymentMethodInput | CreatePaymentMethodInput[]) {
    return oneOrMany(input, (inputs) => this.inSequence(inputs, (one) => this.paymentMethods.create(one)));
  }

  async deletePaymentMethods(input: DeletePaymentMethodInput | DeletePaymentMethodInput[]): Promise<void> {
    await this.inSequence(many(input), (one) => this.paymentMethods.delete(one));
  }

  private async inSequence<I, O>(inputs: I[], run: (input: I) => Promise<O>): Promise<O[]> {
    const results: O[] = [];
    for (const input of inputs) results.push(await run(input));
    return results;
  }
}

/** Wraps every public method so a constraint violation leaves it as a TenderError (`conflict`, `not_found`, …). */
function translateErrorsOf(service: PaymentModuleService): void {
  const target = service as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(PaymentModuleService.prototype)) {
    const method = target[name];
    if (name === 'constructor' || name === 'attachEventPipeline' || typeof method !== 'function') continue;
    target[name] = (...args: unknown[]) =>
      withConstraintErrors(() => (method as (...a: unknown[]) => Promise<unknown>).apply(service, args));
  }
}
