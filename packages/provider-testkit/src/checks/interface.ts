import type { PaymentProvider } from '@tender/core';
import { ConformanceFailure, conformanceAssert } from '../conformance-failure.js';
import type { ConformanceProviderClass } from '../fixtures.js';

export const REQUIRED_PROVIDER_METHODS = [
  'initiatePayment',
  'updatePayment',
  'deletePayment',
  'authorizePayment',
  'capturePayment',
  'refundPayment',
  'retrievePayment',
  'cancelPayment',
  'getPaymentStatus',
  'getWebhookActionAndData',
] as const satisfies readonly (keyof PaymentProvider)[];

/** The registry id is `pp_{identifier}_{id}` and the route `{identifier}_{id}`: an underscore would be ambiguous. */
const IDENTIFIER_PATTERN = /^[a-z][a-z0-9-]*$/;

export function checkProviderClass(providerClass: ConformanceProviderClass): void {
  const { identifier } = providerClass;
  conformanceAssert(
    typeof identifier === 'string' && IDENTIFIER_PATTERN.test(identifier),
    `static identifier must be a lower-case string of letters, digits and dashes (no "_"), got ${JSON.stringify(identifier)}.`,
  );
  conformanceAssert(
    typeof providerClass.validateOptions === 'function',
    'static validateOptions(options) is missing: extend AbstractPaymentProvider and declare static optionsSchema.',
  );
}

export function checkProviderInterface(provider: PaymentProvider): void {
  const missing = REQUIRED_PROVIDER_METHODS.filter(
    (method) => typeof (provider as unknown as Record<string, unknown>)[method] !== 'function',
  );
  if (missing.length > 0) {
    throw new ConformanceFailure(`The provider does not implement ${missing.join(', ')}.`);
  }
}
