import { type ProviderWebhookPayload, TenderError, type WebhookActionAndData } from '@tender/core';
import type { AccountHolderDTO, CreateAccountHolderInput, UpdateAccountHolderInput } from './account-holders.js';
import { withConstraintErrors } from './constraint-errors.js';
import type { ServiceContext } from './context.js';
import type { FindConfig } from './list-options.js';
import type {
  CreatePaymentMethodInput,
  DeletePaymentMethodInput,
  ListPaymentMethodsFilter,
  PaymentMethodDTO,
} from './payment-methods.js';
import { PaymentSection } from './payment-section.js';
import { type EventPipeline, type ProcessEventInput, type ProcessEventResult, processEvent } from './process-event.js';
import { callProvider } from './provider-call.js';
import type { ListPaymentProvidersFilter, PaymentProviderDTO } from './providers-list.js';
import type {
  CreateRefundReasonInput,
  ListRefundReasonsFilter,
  RefundReasonDTO,
  UpdateRefundReasonInput,
} from './refund-reasons.js';
import { inSequence, many, oneOrMany } from './service-base.js';

export type { PaymentProviderDTO } from './providers-list.js';

/**
 * The module's public surface, shaped like Medusa's IPaymentModuleService (names, arguments and return
 * shapes; see the README's "Differences from Medusa"). Every state change runs in a transaction holding
 * its payment collection's row lock; provider calls happen outside it. A database constraint a call
 * breaks reaches the caller as a TenderError. Written in sections (service-base.ts says which); this one
 * holds providers and webhooks, refund reasons, account holders and payment methods.
 */
export class PaymentModuleService extends PaymentSection {
  private pipeline: EventPipeline | undefined;

  constructor(ctx: ServiceContext) {
    super(ctx);
    translateErrorsOf(this);
  }

  /** Set by createPaymentModule: the webhook route's receiver and the worker, for `processEvent`. */
  attachEventPipeline(pipeline: EventPipeline): void {
    this.pipeline = pipeline;
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
    return oneOrMany(input, (inputs) => inSequence(inputs, (one) => this.paymentMethods.create(one)));
  }

  async deletePaymentMethods(input: DeletePaymentMethodInput | DeletePaymentMethodInput[]): Promise<void> {
    await inSequence(many(input), (one) => this.paymentMethods.delete(one));
  }
}

/**
 * Wraps every public method (of every section) so a constraint violation leaves it as a TenderError
 * (`conflict`, `not_found`, …).
 */
function translateErrorsOf(service: PaymentModuleService): void {
  const target = service as unknown as Record<string, unknown>;
  const names = new Set<string>();
  for (let proto = PaymentModuleService.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  for (const name of names) {
    const method = target[name];
    if (name === 'constructor' || name === 'attachEventPipeline' || typeof method !== 'function') continue;
    target[name] = (...args: unknown[]) =>
      withConstraintErrors(() => (method as (...a: unknown[]) => Promise<unknown>).apply(service, args));
  }
}
