import type { ProviderRegistration } from '@tender/payment-module';
import { StripeProvider } from '@tender/provider-stripe';
import { SystemPaymentProvider } from '@tender/provider-system';
import type { TenderConfig } from './types.js';

/**
 * The system provider's secret when nothing configures one: a development value, so `tender dev` and
 * `tender simulate system_default …` work together out of the box. Never use it in production.
 */
export const DEV_SYSTEM_WEBHOOK_SECRET = 'whsec_tender_dev_only_secret';

/** The configuration used when there is no tender.config.ts: built from the environment. */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): TenderConfig {
  const providers: ProviderRegistration[] = [
    {
      resolve: SystemPaymentProvider,
      id: 'default',
      options: { webhookSecrets: [env.TENDER_SYSTEM_WEBHOOK_SECRET || DEV_SYSTEM_WEBHOOK_SECRET] },
    },
  ];
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
