import { afterAll, beforeAll } from '@jest/globals';
import { IfthenpayPaymentProvider, toIfthenpayAmount } from '@tender/provider-ifthenpay';
import {
  buildIfthenpayCallback,
  EMULATOR_ANTI_PHISHING_KEY,
  EMULATOR_MB_KEY,
  type IfthenpayEmulator,
} from '@tender/provider-ifthenpay/testing';
import { type ConformanceWebhookEvent, runProviderConformance } from '@tender/provider-testkit';
import { providerFor, startIfthenpayEmulator } from './support.js';

let emu: IfthenpayEmulator;
beforeAll(async () => {
  emu = await startIfthenpayEmulator();
});
afterAll(async () => {
  await emu.close();
});

const validOptions = { antiPhishingKey: EMULATOR_ANTI_PHISHING_KEY, mbKey: EMULATOR_MB_KEY };

const common = {
  providerClass: IfthenpayPaymentProvider,
  validOptions,
  invalidOptions: [
    { options: { mbKey: EMULATOR_MB_KEY }, mentions: 'antiPhishingKey' },
    {
      options: { ...validOptions, antiPhishingKey: 'short' },
      mentions: 'antiPhishingKey',
      description: 'antiPhishingKey (too short)',
    },
    { options: { antiPhishingKey: EMULATOR_ANTI_PHISHING_KEY }, mentions: 'mbKey' },
    { options: { antiPhishingKey: EMULATOR_ANTI_PHISHING_KEY, method: 'mbway' }, mentions: 'mbWayKey' },
  ],
  // The anti-phishing key in the query is Ifthenpay's only credential.
  signatureQueryParams: ['key'],
  skip: {
    tamperedBody:
      'Ifthenpay callbacks are unsigned GETs with no body: the anti-phishing key authenticates them, and the payment module ' +
      'compares the callback amount with the session (verifiesSessionAmount)',
    refund:
      "Ifthenpay's refund endpoint takes no idempotency key, so a retried refund refunds again (provider.test.ts covers refunds)",
  },
};

/** The callback Ifthenpay sends when the customer pays `event`'s reference (or MB WAY request). */
function multibancoCallback(event: ConformanceWebhookEvent, sign: { secret?: string }) {
  return buildIfthenpayCallback({
    antiPhishingKey: sign.secret ?? emu.antiPhishingKey,
    orderId: event.session_id,
    amount: toIfthenpayAmount(event.amount),
    requestId: event.event_id,
    entity: '12345',
    reference: '123456789',
  });
}

function mbwayCallback(event: ConformanceWebhookEvent, sign: { secret?: string }) {
  return buildIfthenpayCallback({
    antiPhishingKey: sign.secret ?? emu.antiPhishingKey,
    orderId: event.session_id,
    amount: toIfthenpayAmount(event.amount),
    requestId: event.event_id,
  });
}

runProviderConformance(() => providerFor(emu), {
  ...common,
  name: 'ifthenpay provider conformance (Multibanco)',
  signedWebhook: multibancoCallback,
});

runProviderConformance(() => providerFor(emu, { method: 'mbway' }), {
  ...common,
  name: 'ifthenpay provider conformance (MB WAY)',
  signedWebhook: mbwayCallback,
  payment: { data: { phone: '911234567' } },
});
