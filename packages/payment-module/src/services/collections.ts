import { type AmountInput, assertPositiveAmount, currencyExponent, TenderError } from '@tender/core';
import { selectEntity } from '../database/select-entities.js';
import { generateId, IdPrefix } from '../ids.js';
import { DEFAULT_TENANT, Payment, PaymentCollection, PaymentSession, Tenant } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { type PaymentCollectionDTO, toCollectionDTO, toSessionDTO } from './dto.js';
import { withCollectionLock } from './locking.js';
import { loadPayments } from './payment-loader.js';

export interface CreatePaymentCollectionInput {
  currency_code: string;
  amount: AmountInput;
  tenant?: string;
  metadata?: Record<string, unknown>;
}

export interface UpdatePaymentCollectionInput {
  amount?: AmountInput;
  metadata?: Record<string, unknown>;
}

export interface ListPaymentCollectionsFilter {
  id?: string | string[];
  tenant?: string;
  status?: string | string[];
}

export interface Pagination {
  take?: number;
  skip?: number;
}

function validCurrency(code: unknown): string {
  if (typeof code !== 'string') throw new TenderError('invalid_data', 'currency_code is required, e.g. "usd".');
  currencyExponent(code); // throws a clear error for an unknown code
  return code.toLowerCase();
}

export const COLLECTION_BY_ID_SQL = 'select * from payment_collection where id = ? and deleted_at is null';

export class CollectionOperations {
  constructor(private readonly ctx: ServiceContext) {}

  async create(input: CreatePaymentCollectionInput): Promise<PaymentCollectionDTO> {
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
    const collection = em.create(PaymentCollection, {
      id: generateId(IdPrefix.collection),
      tenant,
      currency_code,
      amount,
      metadata: input.metadata ?? null,
    });
    await em.flush();
    return toCollectionDTO(collection);
  }

  async update(id: string, input: UpdatePaymentCollectionInput): Promise<PaymentCollectionDTO> {
    const amount = input.amount === undefined ? undefined : assertPositiveAmount(input.amount, 'amount', { allowZero: true });
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
      if (input.metadata !== undefined) collection.metadata = input.metadata;
      await em.flush();
      return toCollectionDTO(collection);
    });
  }

  async retrieve(id: string, options: { relations?: ('payment_sessions' | 'payments')[] } = {}): Promise<PaymentCollectionDTO> {
    const em = this.ctx.orm.em.fork();
    const collection = await selectEntity(em, PaymentCollection, COLLECTION_BY_ID_SQL, [id]);
    if (!collection) throw new TenderError('not_found', `Payment collection ${id} was not found.`);
    const dto = toCollectionDTO(collection);
    if (options.relations?.includes('payment_sessions')) {
      const sessions = await em.find(
        PaymentSession,
        { payment_collection: id, deleted_at: null },
        { orderBy: { created_at: 'asc' } },
      );
      dto.payment_sessions = sessions.map(toSessionDTO);
    }
    if (options.relations?.includes('payments')) {
      const payments = await em.find(Payment, { payment_collection: id }, { orderBy: { created_at: 'asc' } });
      dto.payments = await loadPayments(em, payments);
    }
    return dto;
  }

  async list(filter: ListPaymentCollectionsFilter = {}, page: Pagination = {}): Promise<PaymentCollectionDTO[]> {
    const where: Record<string, unknown> = { deleted_at: null };
    if (filter.id) where.id = Array.isArray(filter.id) ? { $in: filter.id } : filter.id;
    if (filter.tenant) where.tenant = filter.tenant;
    if (filter.status) where.status = Array.isArray(filter.status) ? { $in: filter.status } : filter.status;
    const rows = await this.ctx.orm.em.fork().find(PaymentCollection, where, {
      orderBy: { created_at: 'desc', id: 'desc' },
      limit: page.take ?? 50,
      offset: page.skip ?? 0,
    });
    return rows.map(toCollectionDTO);
  }

  /** Deletes collections that never moved money; one with a payment is kept for the books. */
  async delete(ids: string[]): Promise<void> {
    for (const id of ids) {
      await withCollectionLock(this.ctx.orm, id, async (em, collection) => {
        const payments = await em.count(Payment, { payment_collection: id });
        if (payments > 0) {
          throw new TenderError(
            'not_allowed',
            `Payment collection ${id} has payments and cannot be deleted; cancel or refund them instead.`,
          );
        }
        const now = new Date();
        collection.deleted_at = now;
        await em.nativeUpdate(PaymentSession, { payment_collection: id, deleted_at: null }, { deleted_at: now });
        await em.flush();
      });
    }
  }
}
