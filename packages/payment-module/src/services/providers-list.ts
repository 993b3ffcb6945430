import type { ServiceContext } from './context.js';
import { applySelect, checkConfig, checkFilters, type EntityShape, type FindConfig, pageOf } from './list-options.js';

export interface PaymentProviderDTO {
  id: string;
  identifier: string;
  /** The path segment of this provider's webhook route: `/hooks/payment/{route_key}`. */
  route_key: string;
  is_enabled: boolean;
}

export interface ListPaymentProvidersFilter {
  id?: string | string[];
  is_enabled?: boolean;
}

const PROVIDER_SHAPE: EntityShape<never> = {
  name: 'payment provider',
  fields: ['id', 'identifier', 'route_key', 'is_enabled'],
  filters: ['id', 'is_enabled'],
  sortable: ['id'],
  relations: [],
};

/** Providers are the module's configuration: they are listed from the registry, never from a table. */
export class PaymentProviders {
  constructor(private readonly ctx: ServiceContext) {}

  async list(filter: ListPaymentProvidersFilter = {}, config: FindConfig<never> = {}): Promise<PaymentProviderDTO[]> {
    return (await this.listAndCount(filter, config))[0];
  }

  async listAndCount(
    filter: ListPaymentProvidersFilter = {},
    config: FindConfig<never> = {},
  ): Promise<[PaymentProviderDTO[], number]> {
    checkFilters(PROVIDER_SHAPE, filter);
    const checked = checkConfig(PROVIDER_SHAPE, { order: { id: 'ASC' }, ...config });
    const ids = filter.id === undefined ? undefined : new Set(Array.isArray(filter.id) ? filter.id : [filter.id]);
    const all = this.ctx.registry
      .list()
      .map((p) => ({ id: p.id, identifier: p.identifier, route_key: p.routeKey, is_enabled: true }))
      .filter((p) => (ids ? ids.has(p.id) : true) && (filter.is_enabled === undefined || p.is_enabled === filter.is_enabled));
    const direction = checked.order[0]?.[1] === 'desc' ? -1 : 1;
    all.sort((a, b) => direction * a.id.localeCompare(b.id));
    const page = pageOf(all, checked).map((p) => applySelect(p, checked));
    return [page, all.length];
  }
}
