import { TenderError } from '@tender/core';
import { generateId } from '../ids.js';
import { DEFAULT_TENANT, ProviderConfig, Tenant } from '../models/index.js';
import type { ServiceContext } from '../services/context.js';
import type { TenantDirectory } from '../webhooks/inbox.js';
import type { Keyring } from './keyring.js';

export interface SetProviderConfigInput {
  tenant: string;
  /** Registry id, e.g. `pp_stripe_stripe`. */
  provider_id: string;
  /** Options that are not secret (capture mode, descriptions…). */
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

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** How long a process trusts its cached copy of a tenant's options (other processes may change them). */
const CACHE_MS = 5_000;

/**
 * Tenants and their per-provider configurations. Webhook resolution reads through `optionsFor`:
 * a tenant's stored options (secrets decrypted) merged over the module options; no stored config
 * means the module options (and so the environment) apply.
 */
export class TenantConfigStore implements TenantDirectory {
  private readonly cache = new Map<string, { at: number; value: unknown }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly keyring: Keyring,
  ) {}

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return Promise.resolve(hit.value as T);
    return load().then((value) => {
      this.cache.set(key, { at: Date.now(), value });
      return value;
    });
  }

  private invalidate(): void {
    this.cache.clear();
  }

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
    this.invalidate();
    return { id, name: name ?? null };
  }

  async listTenants(): Promise<{ id: string; name: string | null }[]> {
    const rows = await this.ctx.orm.em.fork().find(Tenant, {}, { orderBy: { id: 'asc' } });
    return rows.map((t) => ({ id: t.id, name: t.name ?? null }));
  }

  async removeTenant(id: string): Promise<void> {
    await this.ctx.orm.em.fork().nativeDelete(Tenant, { id });
    this.invalidate();
  }

  exists(tenant: string): Promise<boolean> {
    if (tenant === DEFAULT_TENANT) return Promise.resolve(true);
    return this.cached(`exists:${tenant}`, async () => (await this.ctx.orm.em.fork().count(Tenant, { id: tenant })) > 0);
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
    registered.providerClass.validateOptions({ ...(registered.options as object), ...options, ...secrets });
    const sealed = Object.keys(secrets).length ? this.keyring.encrypt(JSON.stringify(secrets)) : undefined;
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
    this.invalidate();
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
    this.invalidate();
    return removed > 0;
  }

  /** Options to merge over the module options for this tenant and provider; undefined when none are stored. */
  optionsFor(tenant: string, providerId: string): Promise<Record<string, unknown> | undefined> {
    if (tenant === DEFAULT_TENANT) return Promise.resolve(undefined);
    return this.cached(`options:${tenant}:${providerId}`, async () => {
      const row = await this.ctx.orm.em.fork().findOne(ProviderConfig, { tenant, provider_id: providerId });
      if (!row) return undefined;
      return { ...row.options, ...(row.secrets_ciphertext ? this.open(row) : {}) };
    });
  }

  /** Re-encrypts every stored secret with the current key; rows already on it are left alone. */
  async rotateEncryptionKey(): Promise<{ rotated: number; key_id: string }> {
    const current = this.keyring.current;
    if (!current) throw new TenderError('invalid_data', 'Set TENDER_ENCRYPTION_KEY to the new key before rotating.');
    const em = this.ctx.orm.em.fork();
    let rotated = 0;
    await em.transactional(async (tx) => {
      const rows = await tx.find(ProviderConfig, { secrets_ciphertext: { $ne: null }, key_id: { $ne: current.id } });
      for (const row of rows) {
        const sealed = this.keyring.encrypt(this.keyring.decrypt(row.secrets_ciphertext!));
        row.secrets_ciphertext = sealed.ciphertext;
        row.key_id = sealed.keyId;
        rotated++;
      }
    });
    this.invalidate();
    return { rotated, key_id: current.id };
  }

  private open(row: ProviderConfig): Record<string, unknown> {
    return JSON.parse(this.keyring.decrypt(row.secrets_ciphertext!)) as Record<string, unknown>;
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
