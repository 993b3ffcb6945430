import { randomBytes } from 'node:crypto';
import type { ProviderRegistration } from '@tender/payment-module';
import { StripeProvider } from '@tender/provider-stripe';
import { SystemPaymentProvider } from '@tender/provider-system';
import type { TenderConfig } from './types.js';

export const SYSTEM_SECRET_VARIABLE = 'TENDER_SYSTEM_WEBHOOK_SECRET';

/**
 * The configuration used when there is no tender.config.ts: built from the environment. It has the
 * system provider only when TENDER_SYSTEM_WEBHOOK_SECRET is set, so it lists what a host app that reads
 * the same variables registers, and nothing trusts a secret everyone knows.
 */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): TenderConfig {
  const providers: ProviderRegistration[] = [];
  if (env[SYSTEM_SECRET_VARIABLE]) {
    providers.push({ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [env[SYSTEM_SECRET_VARIABLE]] } });
  }
  if (env.STRIPE_API_KEY || env.STRIPE_WEBHOOK_SECRET) {
    // Both or neither: the provider's own validation names whichever is missing.
    providers.push({
      resolve: StripeProvider,
      id: 'stripe',
      options: { apiKey: env.STRIPE_API_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET },
    });
  }
  return { providers, databaseUrl: env.DATABASE_URL || undefined, port: parsePort(env.PORT, 'PORT') };
}

export function parsePort(value: string | number | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${source} must be a port number between 0 and 65535, got "${value}".`);
  }
  return port;
}

/**
 * For `tender dev` without a config file: the system provider with a secret made for this run, so
 * `tender simulate system_default …` has something to sign for and nobody else knows the secret.
 */
export function withRunSystemProvider(config: TenderConfig): { config: TenderConfig; secret: string | undefined } {
  if (config.providers?.some((p) => p.resolve === SystemPaymentProvider)) return { config, secret: undefined };
  const secret = `whsec_dev_${randomBytes(24).toString('base64url')}`;
  const system: ProviderRegistration = { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } };
  return { config: { ...config, providers: [system, ...(config.providers ?? [])] }, secret };
}
