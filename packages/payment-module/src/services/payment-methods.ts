import { type ProviderContext, type ProviderData, TenderError } from '@tender/core';
import { AccountHolder, DEFAULT_TENANT } from '../models/index.js';
import type { AccountHolders } from './account-holders.js';
import type { ServiceContext } from './context.js';
import { assertKnownKeys, checkConfig, type EntityShape, type FindConfig, pageOf } from './list-options.js';
import { callProvider } from './provider-call.js';

export interface PaymentMethodDTO {
  id: string;
  provider_id: string;
  data: Record<string, unknown>;
}

/** Which account holder a payment-method call is for: a stored one by id, or its provider data. */
export type PaymentMethodContext = Omit<ProviderContext, 'account_holder'> & {
  account_holder?: { id?: string; data?: ProviderData };
};

/** Medusa's FilterablePaymentMethodProps: the provider, and the account holder in the context. */
export interface ListPaymentMethodsFilter {
  provider_id: string;
  context: PaymentMethodContext;
}

export interface CreatePaymentMethodInput {
  provider_id: string;
  data?: Record<string, unknown>;
  context: PaymentMethodContext;
}

export interface DeletePaymentMethodInput {
  provider_id: string;
  /** The payment method's id at the provider. */
  id: string;
  context: PaymentMethodContext;
}

const PAYMENT_METHOD_SHAPE: EntityShape<never> = {
  name: 'payment method',
  fields: ['id', 'provider_id', 'data'],
  filters: ['provider_id', 'context'],
  sortable: [],
  relations: [],
};

/** Saved payment methods live at the provider, as in Medusa: every call goes through it. */
export class PaymentMethods {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly holders: AccountHolders,
  ) {}

  async listAndCount(filter: ListPaymentMethodsFilter, config: FindConfig<never> = {}): Promise<[PaymentMethodDTO[], number]> {
    assertKnownKeys(filter, PAYMENT_METHOD_SHAPE.filters, 'payment method filter');
    const checked = checkConfig(PAYMENT_METHOD_SHAPE, config);
    const { provider, holder, context } = await this.resolve(filter?.provider_id, filter?.context);
    if (!provider.listPaymentMethods) throw unsupported(filter.provider_id);
    const methods = await callProvider(filter.provider_id, 'list payment methods', () =>
      provider.listPaymentMethods!({ account_holder_data: holder, context }),
    );
    const all = methods.map((m) => ({ id: m.id, provider_id: filter.provider_id, data: m.data }));
    return [pageOf(all, checked), all.length];
  }

  async create(input: CreatePaymentMethodInput): Promise<PaymentMethodDTO> {
    assertKnownKeys(input, ['provider_id', 'data', 'context'], 'payment method field');
    const { provider, holder, context } = await this.resolve(input.provider_id, input.context);
    if (!provider.savePaymentMethod) throw unsupported(input.provider_id);
    const saved = await callProvider(input.provider_id, 'save a payment method', () =>
      provider.savePaymentMethod!({ account_holder_data: holder, data: input.data, context }),
    );
    return { id: saved.id, provider_id: input.provider_id, data: saved.data };
  }

  async delete(input: DeletePaymentMethodInput): Promise<void> {
    assertKnownKeys(input, ['provider_id', 'id', 'context'], 'payment method field');
    if (typeof input.id !== 'string' || !input.id) throw new TenderError('invalid_data', 'A payment method id is required.');
    const { provider, holder, context } = await this.resolve(input.provider_id, input.context);
    if (!provider.deletePaymentMethod) throw unsupported(input.provider_id);
    await callProvider(input.provider_id, 'delete a payment method', () =>
      provider.deletePaymentMethod!({ account_holder_data: holder, id: input.id, context }),
    );
  }

  /** The provider and the holder's provider data: a stored holder's (its tenant decides the provider's options), or the data given. */
  private async resolve(providerId: string | undefined, context: PaymentMethodContext | undefined) {
    if (typeof providerId !== 'string') throw new TenderError('invalid_data', 'provider_id is required.');
    const given = context?.account_holder;
    if (!given?.id && !given?.data) {
      throw new TenderError('invalid_data', 'context.account_holder (its id, or its data) is required for payment methods.');
    }
    let holder: AccountHolder | undefined;
    if (given.id) {
      holder = (await this.ctx.orm.em.fork().findOne(AccountHolder, { id: given.id })) ?? undefined;
      if (holder && holder.provider_id !== providerId) {
        throw new TenderError('invalid_data', `Account holder ${given.id} belongs to ${holder.provider_id}, not ${providerId}.`);
      }
      if (!holder && !given.data) throw new TenderError('not_found', `Account holder ${given.id} was not found.`);
    }
    const tenant = holder?.tenant ?? context?.tenant ?? DEFAULT_TENANT;
    const provider = await this.holders.provider(providerId, tenant);
    const data = holder?.data ?? given.data!;
    const { account_holder: _holder, ...rest } = context ?? {};
    return { provider, holder: data, context: { ...rest, tenant, account_holder: { id: String(data.id ?? given.id), data } } };
  }
}

function unsupported(providerId: string): TenderError {
  return new TenderError('not_allowed', `Provider ${providerId} does not support saved payment methods.`);
}
