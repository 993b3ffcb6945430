import { TenderError } from '@tender/core';
import { PaymentSession } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { type PaymentSessionDTO, toSessionDTO } from './dto.js';
import { applySelect, checkConfig, checkFilters, type EntityShape, type FindConfig, orderBy, whereOf } from './list-options.js';

export const SESSION_SHAPE: EntityShape<never> = {
  name: 'payment session',
  fields: [
    'id',
    'tenant',
    'payment_collection_id',
    'provider_id',
    'currency_code',
    'amount',
    'status',
    'data',
    'context',
    'metadata',
    'authorized_at',
    'created_at',
    'updated_at',
  ],
  filters: ['id', 'tenant', 'payment_collection_id', 'provider_id', 'status', 'currency_code'],
  sortable: ['id', 'created_at', 'updated_at', 'amount', 'status', 'authorized_at'],
  relations: [],
  properties: { payment_collection_id: 'payment_collection' },
};

export interface ListPaymentSessionsFilter {
  id?: string | string[];
  tenant?: string | string[];
  payment_collection_id?: string | string[];
  provider_id?: string | string[];
  status?: string | string[];
  currency_code?: string | string[];
}

/** Reads of live (not deleted) sessions with Medusa's filters and FindConfig. */
export class SessionQueries {
  constructor(private readonly ctx: ServiceContext) {}

  async retrieve(id: string, config: FindConfig<never> = {}): Promise<PaymentSessionDTO> {
    const checked = checkConfig(SESSION_SHAPE, config);
    const [session] = await this.list({ id }, { take: 1 });
    if (!session) throw new TenderError('not_found', `Payment session ${id} was not found.`);
    return applySelect(session, checked);
  }

  async list(filter: ListPaymentSessionsFilter = {}, config: FindConfig<never> = {}): Promise<PaymentSessionDTO[]> {
    checkFilters(SESSION_SHAPE, filter);
    const checked = checkConfig(SESSION_SHAPE, config);
    const rows = await this.ctx.orm.em.fork().find(PaymentSession, whereOf(SESSION_SHAPE, filter, { deleted_at: null }), {
      orderBy: orderBy(checked, SESSION_SHAPE),
      limit: checked.take,
      offset: checked.skip,
    });
    return rows.map((s) => applySelect(toSessionDTO(s), checked));
  }
}
