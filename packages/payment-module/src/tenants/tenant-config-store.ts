import { TenderError } from '@tender/core';
import { generateId } from '../ids.js';
import { DEFAULT_TENANT, ProviderConfig, Tenant } from '../models/index.js';
import type { ServiceContext } from '../services/context.js';
import { RESEAL_SECRETS_SQL, TENANT_PROVIDER_CONFIG_SQL } from '../sql/provider-config.js';
import type { TenantDirectory } from '../webhooks/inbox.js';
import { BoundedCache } from './bounded-cache.js';
import type { Keyring, SecretBinding } from './keyring.js';
import { looksSecret } from './secret-names.js';

export interface SetProviderConfigInput {
  tenant: string;
  /** Registry id, e.g. `pp_stripe_stripe`. */
  provider_id: string;
  /** Options that are not secret (capture mode, descriptions…). Secret-looking names are refused. */
  options?: Record<string, unknown>;
  /** Secret options (apiKey, webhookSecret(s)…): stored only encrypted, never listed. */
  secrets?: Record<string, unknown>;
}

export interface ProviderConfigSummary {
  tenant: string;
  provider_id: string;
  options: Record<string, unknown>;
  /** Names of the secret options, never their values. */
  secret_names: string[];
  key_id: string | null;
  updated_at: Date;
}

/** One tenant's stored options for one provider, as the webhook path needs them. */
interface TenantOptions {
  exists: boolean;
  options: Record<string, unknown> | undefined;
}

interface LookupRow {
  config_id: string | null;
  options: Record<string, unknown> | null;
  secrets_ciphertext: string | null;
}

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** How long a process trusts its cached copy of a tenant's options (other processes may change them). */
const CACHE_MS = 5_000;
/** Known (tenant, provider) pairs kept; unknown tenants are never cached, so they cannot fill it. */
const CACHE_ENTRIES = 1_000;
const UNREADABLE = "This tenant's provider configuration cannot be used right now; retry later.";

/**
 * Tenants and their per-provider configurations. Webhook resolution reads through `optionsFor`:
 * a tenant's stored options (secrets decrypted) merged over the module options; no stored config
 * means the module options (and so the environment) apply.
 */
export class TenantConfigStore implements TenantDirectory {
  readonly cache = new BoundedCache<Record<string, unknown> | undefined>(CACHE_ENTRIES, CACHE_MS);

  constructor(
    private readonly ctx: ServiceContext,
    private readonly keyring: Keyring,
  ) {}

  async createTenant(id: string, name?: string): Promise<{ id: string; name: string | null }> {
    if (!TENANT_PATTERN.test(id) || id === DEFAULT_TENANT || id === '_') {
      throw new TenderError(
        'invalid_data',
        `Tenant id "${id}" must be 1-64 letters, digits, "-" or "_", and not "${DEFAULT_TENANT}".`,
      );
    }
    const em = this.ctx.orm.em.fork();
    const existing = await em.findOne(Tenant, { id });
    if (existing) return { id, name: existing.name ?? null };
    em.create(Tenant, { id, name: name ?? null });
    await em.flush();
    this.cache.clear();
    return { id, name: name ?? null };
  }

  async listTenants(): Promise<{ id: string; name: string | null }[]> {
    const rows = await this.ctx.orm.em.fork().find(Tenant, {}, { orderBy: { id: 'asc' } });
    return rows.map((t) => ({ id: t.id, name: t.name ?? null }));
  }

  async removeTenant(id: string): Promise<void> {
    await this.ctx.orm.em.fork().nativeDelete(Tenant, { id });
    this.cache.clear();
  }

  async exists(tenant: string, providerId: string): Promise<boolean> {
    if (tenant === DEFAULT_TENANT) return true;
    return (await this.lookup(tenant, providerId)).exists;
  }

  /**
   * Stores a tenant's options for a provider, creating the tenant if needed. The merged options are
   * validated by the provider first, so a bad secret shape is refused here, not at the first webhook.
   */
  async setProviderConfig(input: SetProviderConfigInput): Promise<ProviderConfigSummary> {
    const registered = this.ctx.registry.get(input.provider_id);
    const options = input.options ?? {};
    const secrets = input.secrets ?? {};
    const overlap = Object.keys(options).filter((k) => k in secrets);
    if (overlap.length) throw new TenderError('invalid_data', `Options given both as plain and secret: ${overlap.join(', ')}.`);
    const secretLooking = Object.keys(options).filter(looksSecret);
    if (secretLooking.length) {
      throw new TenderError(
        'invalid_data',
        `Options ${secretLooking.join(', ')} look secret: pass them in \`secrets\`, which are stored encrypted.`,
      );
    }
    registered.providerClass.validateOptions({ ...(registered.options as object), ...options, ...secrets });
    const binding = { tenant: input.tenant, providerId: input.provider_id };
    const sealed = Object.keys(secrets).length ? this.keyring.encrypt(JSON.stringify(secrets), binding) : undefined;
    await this.createTenant(input.tenant);
    const em = this.ctx.orm.em.fork();
    let row = await em.findOne(ProviderConfig, { tenant: input.tenant, provider_id: input.provider_id });
    if (!row) {
      row = em.create(ProviderConfig, {
        id: generateId('provcfg'),
        tenant: input.tenant,
        provider_id: input.provider_id,
        options,
      });
    }
    row.options = options;
    row.secrets_ciphertext = sealed?.ciphertext ?? null;
    row.key_id = sealed?.keyId ?? null;
    await em.flush();
    this.cache.clear();
    return this.summarize(row, Object.keys(secrets));
  }

  async listProviderConfigs(filter: { tenant?: string } = {}): Promise<ProviderConfigSummary[]> {
    const rows = await this.ctx.orm.em
      .fork()
      .find(ProviderConfig, filter.tenant ? { tenant: filter.tenant } : {}, { orderBy: { tenant: 'asc', provider_id: 'asc' } });
    return rows.map((row) => this.summarize(row, row.secrets_ciphertext ? Object.keys(this.open(row)) : []));
  }

  async removeProviderConfig(input: { tenant: string; provider_id: string }): Promise<boolean> {
    const removed = await this.ctx.orm.em
      .fork()
      .nativeDelete(ProviderConfig, { tenant: input.tenant, provider_id: input.provider_id });
    this.cache.clear();
    return removed > 0;
  }

  /** Options to merge over the module options for this tenant and provider; undefined when none are stored. */
  async optionsFor(tenant: string, providerId: string): Promise<Record<string, unknown> | undefined> {
    if (tenant === DEFAULT_TENANT) return undefined;
    return (await this.lookup(tenant, providerId)).options;
  }

  /**
   * Re-encrypts every stored secret that is not sealed by the current key in the current format (older
   * rows only bound the key id); rows already current are left alone.
   */
  async rotateEncryptionKey(): Promise<{ rotated: number; key_id: string }> {
    const current = this.keyring.current;
    if (!current) throw new TenderError('invalid_data', 'Set TENDER_ENCRYPTION_KEY to the new key before rotating.');
    const em = this.ctx.orm.em.fork();
    let rotated = 0;
    await em.transactional(async (tx) => {
      const rows = await tx.find(ProviderConfig, { secrets_ciphertext: { $ne: null } });
      for (const row of rows) {
        if (this.keyring.isCurrent(row.secrets_ciphertext!)) continue;
        const sealed = this.keyring.encrypt(this.keyring.decrypt(row.secrets_ciphertext!, bindingOf(row)), bindingOf(row));
        row.secrets_ciphertext = sealed.ciphertext;
        row.key_id = sealed.keyId;
        rotated++;
      }
    });
    this.cache.clear();
    return { rotated, key_id: current.id };
  }

  /** One indexed read per (tenant, provider) and cache period; an unknown tenant leaves nothing behind. */
  private async lookup(tenant: string, providerId: string): Promise<TenantOptions> {
    const key = JSON.stringify([tenant, providerId]);
    const hit = this.cache.get(key);
    if (hit) return { exists: true, options: hit.value };
    const [row] = await this.ctx.orm.em.fork().execute<LookupRow[]>(TENANT_PROVIDER_CONFIG_SQL, [providerId, tenant]);
    if (!row) return { exists: false, options: undefined };
    const options = row.config_id ? await this.usable(tenant, providerId, row) : undefined;
    this.cache.set(key, options);
    return { exists: true, options };
  }

  /**
   * A stored config as options, or a generic 503: the caller of a webhook route learns nothing about
   * keys or option names, and the provider retries once the operator has fixed it (details in the log).
   */
  private async usable(tenant: string, providerId: string, row: LookupRow): Promise<Record<string, unknown>> {
    const binding = { tenant, providerId };
    try {
      const secrets = row.secrets_ciphertext ? this.openSealed(row.secrets_ciphertext, binding) : {};
      const options = { ...(row.options ?? {}), ...secrets };
      const registered = this.ctx.registry.get(providerId);
      registered.providerClass.validateOptions({ ...(registered.options as object), ...options });
      if (row.secrets_ciphertext && this.keyring.isLegacyUnderCurrentKey(row.secrets_ciphertext)) {
        await this.upgrade(row.config_id!, row.secrets_ciphertext, secrets, binding);
      }
      return options;
    } catch (error) {
      this.ctx.logger.error(
        { err: error, tenant, provider: providerId, reason: (error as Error).message },
        'tenant provider configuration unreadable',
      );
      throw new TenderError('unavailable', UNREADABLE, { cause: error });
    }
  }

  /**
   * Re-seals a secret read in the legacy format (bound to the key id only) in the current one, bound to
   * its row. Only if the row still holds what was read: a concurrent `setProviderConfig` wins.
   */
  private async upgrade(configId: string, read: string, secrets: Record<string, unknown>, binding: SecretBinding): Promise<void> {
    const sealed = this.keyring.encrypt(JSON.stringify(secrets), binding);
    try {
      await this.ctx.orm.em.fork().execute(RESEAL_SECRETS_SQL, [sealed.ciphertext, sealed.keyId, configId, read]);
    } catch (error) {
      // The secret was read fine: the webhook goes on, and the next read tries the upgrade again.
      this.ctx.logger.warn({ err: error, ...binding }, 'could not re-encrypt a tenant secret in the current format');
    }
  }

  private openSealed(ciphertext: string, binding: SecretBinding): Record<string, unknown> {
    return JSON.parse(this.keyring.decrypt(ciphertext, binding)) as Record<string, unknown>;
  }

  private open(row: ProviderConfig): Record<string, unknown> {
    return this.openSealed(row.secrets_ciphertext!, bindingOf(row));
  }

  private summarize(row: ProviderConfig, secretNames: string[]): ProviderConfigSummary {
    return {
      tenant: row.tenant,
      provider_id: row.provider_id,
      options: row.options,
      secret_names: secretNames.sort(),
      key_id: row.key_id ?? null,
      updated_at: row.updated_at,
    };
  }
}

function bindingOf(row: ProviderConfig): SecretBinding {
  return { tenant: row.tenant, providerId: row.provider_id };
}
