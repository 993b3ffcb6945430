import { IfthenpayPaymentProvider, type IfthenpayProviderInput } from '@tender/provider-ifthenpay';
import { type IfthenpayEmulator, startIfthenpayEmulator } from '@tender/provider-ifthenpay/testing';

/** Options for a provider talking to `emu`; `overrides` change single options. */
export function optionsFor(emu: IfthenpayEmulator, overrides: Partial<IfthenpayProviderInput> = {}): IfthenpayProviderInput {
  return {
    antiPhishingKey: emu.antiPhishingKey,
    mbKey: emu.mbKey,
    mbWayKey: emu.mbWayKey,
    backofficeKey: emu.backofficeKey,
    apiBaseUrl: emu.baseUrl,
    ...overrides,
  };
}

export function providerFor(emu: IfthenpayEmulator, overrides: Partial<IfthenpayProviderInput> = {}): IfthenpayPaymentProvider {
  return new IfthenpayPaymentProvider({}, IfthenpayPaymentProvider.validateOptions(optionsFor(emu, overrides)) as never);
}

export { startIfthenpayEmulator };
