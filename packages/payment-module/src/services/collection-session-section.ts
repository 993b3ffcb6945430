import type { PaymentSessionStatus } from '@tender/core';
import type {
  CollectionFindConfig,
  CreatePaymentCollectionInput,
  ListPaymentCollectionsFilter,
  UpdatePaymentCollectionInput,
  UpsertPaymentCollectionInput,
} from './collections.js';
import type { PaymentCollectionDTO, PaymentSessionDTO } from './dto.js';
import type { FindConfig } from './list-options.js';
import { inSequence, many, oneOrMany, ServiceBase } from './service-base.js';
import type { ListPaymentSessionsFilter } from './session-queries.js';
import type { CreatePaymentSessionInput, UpdatePaymentSessionInput } from './sessions.js';
import type { WebhookClaim } from './webhook-trust.js';

/** `PaymentModuleService`'s payment collections and payment sessions. */
export abstract class CollectionSessionSection extends ServiceBase {
  // Payment collections
  createPaymentCollections(input: CreatePaymentCollectionInput): Promise<PaymentCollectionDTO>;
  createPaymentCollections(input: CreatePaymentCollectionInput[]): Promise<PaymentCollectionDTO[]>;
  createPaymentCollections(input: CreatePaymentCollectionInput | CreatePaymentCollectionInput[]) {
    return oneOrMany(input, (inputs) => inSequence(inputs, (one) => this.collections.create(one)));
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
    return oneOrMany(input, (inputs) => inSequence(inputs, (one) => this.collections.upsert(one)));
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
}
