import type { ProviderRegistration } from '@tender/payment-module';
import { EasypayPaymentProvider } from '@tender/provider-easypay';
import { type EasypayEmulator, startEasypayEmulator } from '@tender/provider-easypay/testing';
import { HmacPaymentProvider } from '@tender/provider-hmac';
import { IfthenpayPaymentProvider } from '@tender/provider-ifthenpay';
import { type IfthenpayEmulator, startIfthenpayEmulator } from '@tender/provider-ifthenpay/testing';
import { StripeProvider } from '@tender/provider-stripe';
import { type StripeEmulator, startStripeEmulator, TEST_API_KEY, TEST_WEBHOOK_SECRET } from '@tender/provider-stripe/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

/** Demo-only secrets: the webhooks are signed with these by each provider's own testing helper. */
export const DEMO_SECRETS = {
  system: 'whsec_tender_demo_system',
  stripe: TEST_WEBHOOK_SECRET,
  hmac: 'demo-hmac-gateway-secret-0123456789',
  easypay: 'demo-easypay-notification-secret',
} as const;

/** The HMAC gateway of the demo signs `<timestamp>.<body>` and also sends `payment.authorized`. */
export const DEMO_HMAC_OPTIONS = {
  secrets: [DEMO_SECRETS.hmac],
  timestamp: {},
  events: { actions: { 'payment.authorized': 'authorized' as const } },
};

export interface DemoEmulators {
  stripe: StripeEmulator;
  easypay: EasypayEmulator;
  ifthenpay: IfthenpayEmulator;
  close(): Promise<void>;
}

/** The gateways' APIs, on 127.0.0.1: the providers call them exactly as they would call the real ones. */
export async function startDemoEmulators(): Promise<DemoEmulators> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const stripe = await startStripeEmulator();
    started.push(stripe);
    const easypay = await startEasypayEmulator();
    started.push(easypay);
    const ifthenpay = await startIfthenpayEmulator();
    started.push(ifthenpay);
    return {
      stripe,
      easypay,
      ifthenpay,
      close: async () => {
        await Promise.allSettled(started.map((emulator) => emulator.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((emulator) => emulator.close()));
    throw error;
  }
}

/** One registration per provider of the demo, pointed at the emulators. */
export function demoProviders(emulators: DemoEmulators): ProviderRegistration[] {
  return [
    { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [DEMO_SECRETS.system] } },
    {
      resolve: StripeProvider,
      id: 'stripe',
      options: { apiKey: TEST_API_KEY, webhookSecret: DEMO_SECRETS.stripe, maxRetries: 0, ...emulators.stripe.options },
    },
    { resolve: HmacPaymentProvider, id: 'acme', options: DEMO_HMAC_OPTIONS },
    {
      resolve: IfthenpayPaymentProvider,
      id: 'mbway',
      options: {
        antiPhishingKey: emulators.ifthenpay.antiPhishingKey,
        method: 'mbway',
        mbWayKey: emulators.ifthenpay.mbWayKey,
        backofficeKey: emulators.ifthenpay.backofficeKey,
        apiBaseUrl: emulators.ifthenpay.baseUrl,
      },
    },
    {
      resolve: IfthenpayPaymentProvider,
      id: 'mb',
      options: {
        antiPhishingKey: emulators.ifthenpay.antiPhishingKey,
        method: 'multibanco',
        mbKey: emulators.ifthenpay.mbKey,
        apiBaseUrl: emulators.ifthenpay.baseUrl,
      },
    },
    {
      resolve: EasypayPaymentProvider,
      id: 'mb',
      options: {
        accountId: emulators.easypay.accountId,
        apiKey: emulators.easypay.apiKey,
        apiBaseUrl: emulators.easypay.baseUrl,
        webhookSecret: DEMO_SECRETS.easypay,
        method: 'mb',
      },
    },
  ];
}
