import { EasypayPaymentProvider, type EasypayProviderInput } from '@tender/provider-easypay';
import { type EasypayEmulator, startEasypayEmulator } from '@tender/provider-easypay/testing';

export const WEBHOOK_SECRET = 'easypay-notification-secret-0123';

/** Options for a provider talking to `emu`; `overrides` change single options. */
export function optionsFor(emu: EasypayEmulator, overrides: Partial<EasypayProviderInput> = {}): EasypayProviderInput {
  return {
    accountId: emu.accountId,
    apiKey: emu.apiKey,
    apiBaseUrl: emu.baseUrl,
    webhookSecret: WEBHOOK_SECRET,
    ...overrides,
  };
}

export function providerFor(emu: EasypayEmulator, overrides: Partial<EasypayProviderInput> = {}): EasypayPaymentProvider {
  return new EasypayPaymentProvider({}, EasypayPaymentProvider.validateOptions(optionsFor(emu, overrides)) as never);
}

export { startEasypayEmulator };
