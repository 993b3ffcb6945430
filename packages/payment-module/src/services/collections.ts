import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AmountInput, assertPositiveAmount, currencyExponent, TenderError } from '@tender/core';
import { preparedSqlFor } from '../database/prepared-sql.js';
import { selectEntity } from '../database/select-entities.js';
import { PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { DEFAULT_TENANT, Payment, PaymentCollection, PaymentSession, Tenant } from '../models/index.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { COLLECTION_BY_ID_SQL, INSERT_COLLECTION_SQL } from '../sql/payment-collection.js';
import { COLLECTION_SHAPE, type CollectionRelation, loadCollectionRelations } from './collection-relations.js';
import type { ServiceContext } from './context.js';
import { type PaymentCollectionDTO, toCollectionDTO } from './dto.js';
import {
  applySelect,
  assertKnownKeys,
  type CheckedConfig,
  checkConfig,
  checkFilters,
  type FindConfig,
  orderBy,
  whereOf,
} from './list-options.js';
import { withCollectionLock } from './locking.js';

export type { CollectionRelation } from './collection-relations.js';

export interface CreatePaymentCollectionInput {
  currency_code: string;
  amount: AmountInput;
  tenant?: string;
  metadata?: Record<string, unknown>;
}

export interface UpdatePaymentCollectionInput {
  amount?: AmountInput;
  /** Only while the collection has no sessions: a session's currency is its collection's. */
  currency_code?: string;
  metadata?: Record<string, unknown>;
}

export interface UpsertPaymentCollectionInput extends Partial<CreatePaymentCollectionInput> {
  id?: string;
}

export interface ListPaymentCollectionsFilter {
  id?: string | string[];
  tenant?: string | string[];
  status?: string | string[];
  currency_code?: string | string[];
}

/** Kept for callers of the first list signature; a FindConfig's `skip` and `take`. */
export type Pagination = Pick<FindConfig, 'skip' | 'take'>;

export type CollectionFindConfig = FindConfig<CollectionRelation>;

const CREATE_FIELDS = ['currency_code', 'amount', 'tenant', 'metadata'];
const UPDATE_FIELDS = ['amount', 'currency_code', 'metadata'];

function validCurrency(code: unknown): string {
  if (typeof code !== 'string') throw new TenderError('invalid_data', 'currency_code is required, e.g. "usd".');
  currencyExponent(code); // throws a clear error for an unknown code
  return code.toLowerCase();
}

function notFound(id: string): TenderError {
  return new TenderError('not_found', `Payment collection ${id} was not found.`);
}

export class CollectionOperations {
  constructor(private readonly ctx: ServiceContext) {}

  async create(input: CreatePaymentCollectionInput): Promise<PaymentCollectionDTO> {
    assertKnownKeys(input, CREATE_FIELDS, 'payment collection field');
    const currency_code = validCurrency(input.currency_code);
    const amount = assertPositiveAmount(input.amount, 'amount', { allowZero: true });
    const tenant = input.tenant ?? DEFAULT_TENANT;
    const em = this.ctx.orm.em.fork();
    // Webhooks for a tenant that does not exist are refused, so its collection could never be paid.
    if (tenant !== DEFAULT_TENANT && (await em.count(Tenant, { id: tenant })) === 0) {
      throw new TenderError(
        'not_found',
        `Tenant "${tenant}" does not exist: create it first (tenants.createTenant, or \`tender tenants set\` with its provider configuration).`,
      );
    }
    // One statement, committed on its own: no transaction to open for a single row.
    const [row] = await preparedSqlFor(this.ctx.orm).execute<EntityDictionary<PaymentCollection>[]>(INSERT_COLLECTION_SQL, [
      generateId(IdPrefix.collection),
      tenant,
      currency_code,
      amount,
      input.metadata ? JSON.stringify(input.metadata) : null,
    ]);
    return toCollectionDTO(em.map(PaymentCollection, row!));
  }

  async update(id: string, input: UpdatePaymentCollectionInput): Promise<PaymentCollectionDTO> {
    assertKnownKeys(input, UPDATE_FIELDS, 'payment collection field');
    const amount = input.amount === undefined ? undefined : assertPositiveAmount(input.amount, 'amount', { allowZero: true });
    const currency = input.currency_code === undefined ? undefined : validCurrency(input.currency_code);
    return withCollectionLock(this.ctx.orm, id, async (em, collection) => {
      if (amount !== undefined) {
        if (collection.status !== 'not_paid' && collection.status !== 'awaiting') {
          throw new TenderError(
            'not_allowed',
            `Payment collection ${id} is ${collection.status}: its amount can no longer change.`,
          );
        }
        collection.amount = amount;
      }
      if (currency !== undefined && currency !== collection.currency_code) {
        if ((await em.count(PaymentSession, { payment_collection: id, deleted_at: null })) > 0) {
          throw new TenderError(
            'not_allowed',
            `Payment collection ${id} has payment sessions in ${collection.currency_code}: its currency can no longer change.`,
          );
        }
        collection.currency_code = currency;
      }
      if (input.metadata !== undefined) collection.metadata = input.metadata;
      await em.flush();
      const updated = toCollectionDTO(collection);
      // In the transaction of the change, like every domain event.
      await writeOutboxEvents(em, [
        {
          name: PaymentEvents.COLLECTION_UPDATED,
          tenant: updated.tenant,
          payment_collection_id: id,
          data: { id, amount: updated.amount, currency_code: updated.currency_code, status: updated.status },
        },
      ]);
      return updated;
    });
  }

  /** Medusa's selector form: every collection the filter matches gets the same update. */
  async updateMatching(
    filter: ListPaymentCollectionsFilter,
    input: UpdatePaymentCollectionInput,
  ): Promise<PaymentCollectionDTO[]> {
    assertKnownKeys(input, UPDATE_FIELDS, 'payment collection field');
    const ids = (await this.list(filter, { select: ['id'] })).map((c) => c.id);
    const updated: PaymentCollectionDTO[] = [];
    for (const id of ids) updated.push(await this.update(id, input));
    return updated;
  }

  /** With an `id`: an update of that collection; without: a new one. */
  async upsert(input: UpsertPaymentCollectionInput): Promise<PaymentCollectionDTO> {
    assertKnownKeys(input, ['id', ...CREATE_FIELDS], 'payment collection field');
    const { id, ...fields } = input;
    if (id === undefined) return this.create(fields as CreatePaymentCollectionInput);
    if (fields.tenant !== undefined) {
      const current = await this.retrieve(id);
      if (current.tenant !== fields.tenant) {
        throw new TenderError('not_allowed', `Payment collection ${id} belongs to tenant "${current.tenant}".`);
      }
    }
    const { tenant: _tenant, ...update } = fields;
    return this.update(id, update);
  }

  async retrieve(id: string, config: CollectionFindConfig = {}): Promise<PaymentCollectionDTO> {
    const checked = checkConfig(COLLECTION_SHAPE, config);
    const em = this.ctx.orm.em.fork();
    const collection = await selectEntity(em, PaymentCollection, COLLECTION_BY_ID_SQL, [id]);
    if (!collection) throw notFound(id);
    const dto = toCollectionDTO(collection);
    await loadCollectionRelations(em, [dto], checked.relations);
    return applySelect(dto, checked);
  }

  async list(filter: ListPaymentCollectionsFilter = {}, config: CollectionFindConfig = {}): Promise<PaymentCollectionDTO[]> {
    return (await this.listAndCount(filter, config, false))[0];
  }

  async listAndCount(
    filter: ListPaymentCollectionsFilter = {},
    config: CollectionFindConfig = {},
    count = true,
  ): Promise<[PaymentCollectionDTO[], number]> {
    checkFilters(COLLECTION_SHAPE, filter);
    const checked: CheckedConfig<CollectionRelation> = checkConfig(COLLECTION_SHAPE, config);
    const where = whereOf(COLLECTION_SHAPE, filter, { deleted_at: null });
    const em = this.ctx.orm.em.fork();
    const options = { orderBy: orderBy(checked), limit: checked.take, offset: checked.skip };
    const [rows, total] = count
      ? await em.findAndCount(PaymentCollection, where, options)
      : [await em.find(PaymentCollection, where, options), -1];
    const dtos = rows.map(toCollectionDTO);
    await loadCollectionRelations(em, dtos, checked.relations);
    return [dtos.map((dto) => applySelect(dto, checked)), total];
  }

  /** Removes collections that never moved money, with their sessions; one with a payment is kept for the books. */
  async delete(ids: string[]): Promise<void> {
    for (const id of ids) {
      await withCollectionLock(this.ctx.orm, id, async (em) => {
        await this.assertNoPayments(em, id);
        await em.nativeDelete(PaymentSession, { payment_collection: id });
        await em.nativeDelete(PaymentCollection, { id });
      });
    }
  }

  /** Marks collections (and their live sessions, at the same instant) deleted; `restore` brings both back. */
  async softDelete(ids: string[]): Promise<void> {
    for (const id of ids) {
      await withCollectionLock(this.ctx.orm, id, async (em, collection) => {
        await this.assertNoPayments(em, id);
        const now = new Date();
        collection.deleted_at = now;
        await em.nativeUpdate(PaymentSession, { payment_collection: id, deleted_at: null }, { deleted_at: now });
        await em.flush();
      });
    }
  }

  /** Undoes `softDelete`: the collection and the sessions deleted with it; sessions deleted before stay deleted. */
  async restore(ids: string[]): Promise<void> {
    const em = this.ctx.orm.em.fork();
    await em.transactional(async (tx) => {
      for (const id of ids) {
        const collection = await tx.findOne(PaymentCollection, { id });
        if (!collection) throw notFound(id);
        if (!collection.deleted_at) continue;
        await tx.nativeUpdate(
          PaymentSession,
          { payment_collection: id, deleted_at: collection.deleted_at },
          { deleted_at: null },
        );
        collection.deleted_at = null;
      }
    });
  }

  /** Medusa's completion mark (a cart was completed with the collection): sets `completed_at` once. */
  async complete(ids: string[]): Promise<PaymentCollectionDTO[]> {
    const completed: PaymentCollectionDTO[] = [];
    for (const id of ids) {
      completed.push(
        await withCollectionLock(this.ctx.orm, id, async (em, collection) => {
          if (!collection.completed_at) collection.completed_at = new Date();
          await em.flush();
          return toCollectionDTO(collection);
        }),
      );
    }
    return completed;
  }

  private async assertNoPayments(em: EntityManager, id: string): Promise<void> {
    if ((await em.count(Payment, { payment_collection: id })) > 0) {
      throw new TenderError(
        'not_allowed',
        `Payment collection ${id} has payments and cannot be deleted; cancel or refund them instead.`,
      );
    }
  }
}
