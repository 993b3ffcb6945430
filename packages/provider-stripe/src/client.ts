import type { ProviderDependencies } from '@tender/core';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './api-version.js';
import type { StripeProviderOptions } from './options.js';

/**
 * Builds the SDK client for one provider instance. The SDK's own retries are off (`maxNetworkRetries: 0`):
 * `withStripeRetries` decides what is retried so a declined card or a 500 is never replayed blindly.
 */
export function createStripeClient(options: StripeProviderOptions, dependencies: ProviderDependencies = {}): Stripe {
  return new Stripe(options.apiKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 0,
    telemetry: options.telemetry,
    timeout: options.timeoutMs,
    host: options.apiHost,
    port: options.apiPort,
    protocol: options.apiProtocol,
    httpClient: dependencies.fetch ? Stripe.createFetchHttpClient(dependencies.fetch) : undefined,
    appInfo: { name: 'tender-provider-stripe' },
  });
}
