import { type PaymentProvider, type ProviderContext, TenderError } from '@tender/core';
import { generateId, IdPrefix } from '../ids.js';
import { AccountHolder, DEFAULT_TENANT } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { assertKnownKeys } from './list-options.js';
import { callProvider } from './provider-call.js';

export interface AccountHolderDTO {
  id: string;
  tenant: string;
  provider_id: string;
  external_id: string;
  email: string | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

export interface Customer {
  id: string;
  email?: string;
  name?: string;
}

/** Medusa's CreateAccountHolderDTO (`context.customer`); the earlier top-level `customer` is still read. */
export interface CreateAccountHolderInput {
  provider_id: string;
  context?: ProviderContext & { customer?: Customer };
  customer?: Customer;
  tenant?: string;
  metadata?: Record<string, unknown>;
}

export interface UpdateAccountHolderInput {
  id: string;
  provider_id?: string;
  context?: ProviderContext & { customer?: Customer };
  metadata?: Record<string, unknown>;
}

function toDTO(h: AccountHolder): AccountHolderDTO {
  return {
    id: h.id,
    tenant: h.tenant,
    provider_id: h.provider_id,
    external_id: h.external_id,
    email: h.email ?? null,
    data: h.data,
    metadata: h.metadata ?? null,
    created_at: h.created_at,
    updated_at: h.updated_at,
  };
}

function unsupported(providerId: string, what: string): TenderError {
  return new TenderError('not_allowed', `Provider ${providerId} does not support ${what}.`);
}

/** A customer's record at a provider (a Stripe Customer), created, updated and deleted through the provider. */
export class AccountHolders {
  constructor(private readonly ctx: ServiceContext) {}

  async retrieve(id: string): Promise<AccountHolder> {
    const holder = await this.ctx.orm.em.fork().findOne(AccountHolder, { id });
    if (!holder) throw new TenderError('not_found', `Account holder ${id} was not found.`);
    return holder;
  }

  async provider(providerId: string, tenant: string): Promise<PaymentProvider> {
    return this.ctx.registry.instanceFor(providerId, tenant);
  }

  /** One holder per (tenant, provider, customer): asking again returns the existing one without calling the provider. */
  async create(input: CreateAccountHolderInput): Promise<AccountHolderDTO> {
    assertKnownKeys(input, ['provider_id', 'context', 'customer', 'tenant', 'metadata'], 'account holder field');
    const customer = input.context?.customer ?? input.customer;
    if (!customer?.id) throw new TenderError('invalid_data', 'An account holder needs context.customer with an id.');
    const tenant = input.tenant ?? input.context?.tenant ?? DEFAULT_TENANT;
    const em = this.ctx.orm.em.fork();
    const existing = await em.findOne(AccountHolder, { tenant, provider_id: input.provider_id, customer_id: customer.id });
    if (existing) return toDTO(existing);
    const provider = await this.provider(input.provider_id, tenant);
    if (!provider.createAccountHolder) throw unsupported(input.provider_id, 'account holders');
    const created = await callProvider(input.provider_id, 'create an account holder', () =>
      provider.createAccountHolder!({
        context: { ...input.context, customer, tenant, idempotency_key: `${customer.id}:account-holder` },
      }),
    );
    const holder = em.create(AccountHolder, {
      id: generateId(IdPrefix.accountHolder),
      tenant,
      provider_id: input.provider_id,
      customer_id: customer.id,
      external_id: created.id,
      email: customer.email ?? null,
      data: created.data ?? {},
      metadata: input.metadata ?? null,
    });
    await em.flush();
    return toDTO(holder);
  }

  /** Sends the customer's new details to the provider and stores what it answers. */
  async update(input: UpdateAccountHolderInput): Promise<AccountHolderDTO> {
    assertKnownKeys(input, ['id', 'provider_id', 'context', 'metadata'], 'account holder field');
    const holder = await this.retrieve(input.id);
    if (input.provider_id !== undefined && input.provider_id !== holder.provider_id) {
      throw new TenderError(
        'invalid_data',
        `Account holder ${input.id} belongs to ${holder.provider_id}, not ${input.provider_id}.`,
      );
    }
    const customer = input.context?.customer;
    let data = holder.data;
    if (customer) {
      const provider = await this.provider(holder.provider_id, holder.tenant);
      if (!provider.updateAccountHolder) throw unsupported(holder.provider_id, 'updating account holders');
      const updated = await callProvider(holder.provider_id, 'update an account holder', () =>
        provider.updateAccountHolder!({
          context: {
            ...input.context,
            customer: { ...customer, id: holder.customer_id },
            tenant: holder.tenant,
            account_holder: { id: holder.external_id, data: holder.data },
          },
          data: holder.data,
        }),
      );
      data = updated.data ?? data;
    }
    const em = this.ctx.orm.em.fork();
    const row = await em.findOneOrFail(AccountHolder, { id: holder.id });
    row.data = data;
    if (customer?.email !== undefined) row.email = customer.email;
    if (input.metadata !== undefined) row.metadata = input.metadata;
    await em.flush();
    return toDTO(row);
  }

  /** Deletes the holder at the provider first: a row that outlived its provider record could be used again. */
  async delete(id: string): Promise<void> {
    const holder = await this.retrieve(id);
    const provider = await this.provider(holder.provider_id, holder.tenant);
    if (provider.deleteAccountHolder) {
      await callProvider(holder.provider_id, 'delete an account holder', () =>
        provider.deleteAccountHolder!({
          data: holder.data,
          context: { tenant: holder.tenant, idempotency_key: `${holder.id}:delete` },
        }),
      );
    }
    await this.ctx.orm.em.fork().nativeDelete(AccountHolder, { id });
  }
}
