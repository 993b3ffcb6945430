import { createLogger, ProviderRegistry, type RegisteredProvider } from '@tender/payment-module';
import type { TenderConfig } from '../config/types.js';
import { CliError } from '../errors.js';

/** The config's providers, validated exactly as the module validates them, without a database. */
export function configuredProviders(config: TenderConfig): RegisteredProvider[] {
  return new ProviderRegistry(config.providers ?? [], { logger: createLogger({ level: 'silent' }), fetch: config.fetch }).list();
}

/** A provider named by its route key (`stripe_stripe`) or registry id (`pp_stripe_stripe`). */
export function findProvider(providers: RegisteredProvider[], name: string): RegisteredProvider {
  const id = name.startsWith('pp_') ? name : `pp_${name}`;
  const found = providers.find((p) => p.id === id);
  if (!found) {
    const known = providers.map((p) => p.routeKey).join(', ') || 'none';
    throw new CliError(`No provider "${name}" in the configuration (configured: ${known}).`);
  }
  return found;
}

/** Where `tender dev` (or the host) listens, for printing and sending webhook URLs. */
export function defaultBaseUrl(config: TenderConfig): string {
  const port = config.port ?? (process.env.PORT ? Number(process.env.PORT) : 9000);
  const host = !config.host || config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return `http://${host}:${port}`;
}

export function webhookUrl(baseUrl: string, provider: RegisteredProvider, tenant?: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/hooks/payment/${provider.routeKey}${tenant ? `/${tenant}` : ''}`;
}
