import type { ProviderDependencies } from '@tender/core';
import { StripeProvider, type StripeProviderBase, type StripeProviderOptionsInput } from '@tender/provider-stripe';
import { type StripeEmulator, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';

type ProviderClass = new (dependencies: ProviderDependencies, options: unknown) => StripeProviderBase;

/** A provider whose real SDK talks to the emulator; retries are fast so retry tests stay quick. */
export function providerFor(
  emulator: StripeEmulator,
  overrides: Partial<StripeProviderOptionsInput> = {},
  Provider: ProviderClass = StripeProvider,
  dependencies: ProviderDependencies = {},
): StripeProviderBase {
  return new Provider(dependencies, {
    apiKey: TEST_API_KEY,
    webhookSecret: TEST_WEBHOOK_SECRET,
    retryDelayMs: 1,
    ...emulator.options,
    ...overrides,
  });
}

export function lastRequest(emulator: StripeEmulator, method: string, pathPattern: RegExp) {
  const matches = emulator.requests.filter((request) => request.method === method && pathPattern.test(request.path));
  const last = matches.at(-1);
  if (!last) throw new Error(`No ${method} ${pathPattern} request reached the emulator.`);
  return last;
}
