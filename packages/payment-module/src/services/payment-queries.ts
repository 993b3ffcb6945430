import { TenderError } from '@tender/core';
import { Payment } from '../models/index.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import {
  applySelect,
  assertKnownKeys,
  checkConfig,
  checkFilters,
  type EntityShape,
  type FindConfig,
  orderBy,
  whereOf,
} from './list-options.js';
import { withCollectionLock } from './locking.js';
import { loadPayments } from './payment-loader.js';

/** A payment always carries its captures and refunds; naming them as relations is accepted. */
export type PaymentRelation = 'captures' | 'refunds';

export const PAYMENT_SHAPE: EntityShape<PaymentRelation> = {
  name: 'payment',
  fields: [
    'id',
    'tenant',
    'payment_collection_id',
    'payment_session_id',
    'provider_id',
    'currency_code',
    'amount',
    'captured_amount',
    'refunded_amount',
    'data',
    'captured_at',
    'canceled_at',
    'created_at',
  ],
  filters: ['id', 'tenant', 'payment_collection_id', 'payment_session_id', 'provider_id', 'currency_code'],
  sortable: ['id', 'created_at', 'amount', 'captured_at', 'canceled_at'],
  relations: ['captures', 'refunds'],
  properties: { payment_collection_id: 'payment_collection', payment_session_id: 'payment_session' },
};

export interface ListPaymentsFilter {
  id?: string | string[];
  tenant?: string | string[];
  payment_collection_id?: string | string[];
  payment_session_id?: string | string[];
  provider_id?: string | string[];
  currency_code?: string | string[];
}

/** Medusa's UpdatePaymentDTO, as far as Tender's payment has the fields: the provider data. */
export interface UpdatePaymentInput {
  id: string;
  data?: Record<string, unknown>;
}

/** Reads of payments with Medusa's filters and FindConfig, and the one update a payment allows. */
export class PaymentQueries {
  constructor(private readonly ctx: ServiceContext) {}

  async retrieve(id: string, config: FindConfig<PaymentRelation> = {}): Promise<PaymentDTO> {
    const checked = checkConfig(PAYMENT_SHAPE, config);
    const [payments] = await this.listAndCount({ id }, { relations: [...checked.relations], take: 1 }, false);
    const payment = payments[0];
    if (!payment) throw new TenderError('not_found', `Payment ${id} was not found.`);
    return applySelect(payment, checked);
  }

  async listAndCount(
    filter: ListPaymentsFilter = {},
    config: FindConfig<PaymentRelation> = {},
    count = true,
  ): Promise<[PaymentDTO[], number]> {
    checkFilters(PAYMENT_SHAPE, filter);
    const checked = checkConfig(PAYMENT_SHAPE, config);
    const em = this.ctx.orm.em.fork();
    const where = whereOf(PAYMENT_SHAPE, filter);
    const options = { orderBy: orderBy(checked, PAYMENT_SHAPE), limit: checked.take, offset: checked.skip };
    const [rows, total] = count ? await em.findAndCount(Payment, where, options) : [await em.find(Payment, where, options), -1];
    return [(await loadPayments(em, em, rows)).map((p) => applySelect(p, checked)), total];
  }

  /** Replaces the payment's provider data (Medusa's `updatePayment`); amounts change only through captures and refunds. */
  async update(input: UpdatePaymentInput): Promise<PaymentDTO> {
    assertKnownKeys(input, ['id', 'data'], 'payment field');
    if (input.data !== undefined && (typeof input.data !== 'object' || input.data === null || Array.isArray(input.data))) {
      throw new TenderError('invalid_data', 'data must be an object.');
    }
    const found = await this.ctx.orm.em.fork().findOne(Payment, { id: input.id });
    if (!found) throw new TenderError('not_found', `Payment ${input.id} was not found.`);
    await withCollectionLock(this.ctx.orm, found.payment_collection, async (em) => {
      const locked = await em.findOneOrFail(Payment, { id: input.id });
      if (input.data !== undefined) locked.data = input.data;
      await em.flush();
    });
    return this.retrieve(input.id);
  }
}
