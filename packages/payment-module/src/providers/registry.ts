import type { PaymentProvider, PaymentProviderClass, ProviderDependencies } from '@tender/core';
import { TenderError } from '@tender/core';
import { DEFAULT_TENANT } from '../models/common.js';

/** One entry of `providers: [...]` in the module options. */
export interface ProviderRegistration {
  /** The provider class, or a module whose default export is one. */
  resolve: PaymentProviderClass<any> | { default: PaymentProviderClass<any> };
  /** Distinguishes several configurations of one provider class; the registry id is `pp_{identifier}_{id}`. */
  id: string;
  options?: Record<string, unknown>;
}

export interface RegisteredProvider {
  /** `pp_{identifier}_{id}` */
  id: string;
  identifier: string;
  /** The URL segment of its webhook route: `{identifier}_{id}`. */
  routeKey: string;
  providerClass: PaymentProviderClass<any>;
  options: unknown;
  instance: PaymentProvider;
}

/** Provides options that override a provider's module options for one tenant (see tenant configs). */
export type TenantOptionsLoader = (tenant: string, providerId: string) => Promise<Record<string, unknown> | undefined>;

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/i;

function classOf(resolve: ProviderRegistration['resolve']): PaymentProviderClass<any> {
  const candidate = (typeof resolve === 'function' ? resolve : resolve?.default) as PaymentProviderClass<any> | undefined;
  if (typeof candidate !== 'function' || typeof candidate.identifier !== 'string' || !candidate.identifier) {
    throw new TenderError(
      'invalid_data',
      'A provider registration needs `resolve`: a provider class with a static `identifier`.',
    );
  }
  return candidate;
}

export class ProviderRegistry {
  private readonly byId = new Map<string, RegisteredProvider>();
  private readonly tenantInstances = new Map<string, { fingerprint: string; instance: PaymentProvider }>();

  constructor(
    registrations: ProviderRegistration[],
    private readonly dependencies: ProviderDependencies,
    private tenantOptions?: TenantOptionsLoader,
  ) {
    for (const registration of registrations) this.register(registration);
  }

  setTenantOptionsLoader(loader: TenantOptionsLoader): void {
    this.tenantOptions = loader;
  }

  private register(registration: ProviderRegistration): void {
    const providerClass = classOf(registration.resolve);
    const identifier = providerClass.identifier;
    if (identifier.includes('_')) {
      throw new TenderError(
        'invalid_data',
        `Provider identifier "${identifier}" must not contain "_" (it separates identifier and id).`,
      );
    }
    if (!registration.id || !ID_PATTERN.test(registration.id)) {
      throw new TenderError(
        'invalid_data',
        `Provider "${identifier}" needs an \`id\` of letters, digits and "-", got "${registration.id}".`,
      );
    }
    const id = `pp_${identifier}_${registration.id}`;
    if (this.byId.has(id)) throw new TenderError('invalid_data', `Provider ${id} is registered twice.`);
    // validateOptions throws a TenderError naming the provider and the bad option.
    const options = providerClass.validateOptions(registration.options ?? {});
    this.byId.set(id, {
      id,
      identifier,
      routeKey: `${identifier}_${registration.id}`,
      providerClass,
      options,
      instance: new providerClass(this.dependencies, options),
    });
  }

  list(): RegisteredProvider[] {
    return [...this.byId.values()];
  }

  /** The provider registered as `id`, or undefined: for callers whose answer must not list the registered ones. */
  find(id: string): RegisteredProvider | undefined {
    return this.byId.get(id);
  }

  get(id: string): RegisteredProvider {
    const provider = this.byId.get(id);
    if (!provider) {
      const known = [...this.byId.keys()].join(', ') || 'none';
      throw new TenderError('not_found', `Payment provider "${id}" is not registered (registered: ${known}).`);
    }
    return provider;
  }

  /**
   * The provider instance to use for a tenant: built from the tenant's stored options merged over the
   * module options when the tenant has any, otherwise the module-level instance. A caller that has already
   * resolved the provider passes it, so that one webhook looks its provider up once.
   */
  async instanceFor(provider: string | RegisteredProvider, tenant?: string): Promise<PaymentProvider> {
    if (typeof provider === 'string') provider = this.get(provider);
    // The default tenant's options are the module's: its stored configuration is never consulted.
    if (!tenant || tenant === DEFAULT_TENANT || !this.tenantOptions) return provider.instance;
    const id = provider.id;
    const overrides = await this.tenantOptions(tenant, id);
    if (!overrides) return provider.instance;
    const fingerprint = JSON.stringify(overrides);
    const key = `${tenant}\u0000${id}`;
    const cached = this.tenantInstances.get(key);
    if (cached && cached.fingerprint === fingerprint) return cached.instance;
    const options = provider.providerClass.validateOptions({ ...(provider.options as object), ...overrides });
    const instance = new provider.providerClass(this.dependencies, options);
    this.tenantInstances.set(key, { fingerprint, instance });
    return instance;
  }
}
