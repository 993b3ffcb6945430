import { afterAll, beforeAll, describe } from '@jest/globals';
import { HmacPaymentProvider, type HmacProviderOptions, type HmacProviderOptionsInput } from '@tender/provider-hmac';
import { createHmacWebhook } from '@tender/provider-hmac/testing';
import { type ConformanceWebhookEvent, type ProviderConformanceFixtures, runProviderConformance } from '@tender/provider-testkit';
import { GatewayEmulator } from './support/gateway-emulator.js';

const SECRET = 'hmac-conformance-secret-0001';
const WHSEC = `whsec_${Buffer.from('standard-webhooks-conformance-key').toString('base64')}`;

const EVENT_TYPES: Record<string, string> = {
  captured: 'payment.completed',
  failed: 'payment.failed',
  refunded: 'refund.completed',
  not_supported: 'customer.updated',
};
const ORDER_STATUSES: Record<string, string> = { captured: 'PAID', failed: 'FAILED', not_supported: 'PENDING' };

function provider(options: HmacProviderOptionsInput, fetchImpl?: typeof fetch) {
  return new HmacPaymentProvider({ fetch: fetchImpl }, HmacPaymentProvider.validateOptions(options) as HmacProviderOptions);
}

function fixtures(options: HmacProviderOptionsInput, secret: string): ProviderConformanceFixtures {
  const orderPayment = options.mode === 'order-payment';
  return {
    providerClass: HmacPaymentProvider,
    validOptions: options,
    invalidOptions: [
      { options: { ...options, secrets: [] }, mentions: 'secrets', description: 'secrets (none)' },
      { options: { ...options, secrets: ['too-short'] }, mentions: 'secrets', description: 'secrets (too short)' },
      { options: { ...options, mode: 'orders' }, mentions: 'mode' },
      { options: { ...options, apiBaseUrl: 'not a url' }, mentions: 'apiBaseUrl' },
    ],
    signedWebhook: (event: ConformanceWebhookEvent, sign) =>
      createHmacWebhook({
        secret: sign.secret ?? secret,
        timestamp: sign.timestamp,
        options,
        event: {
          id: event.event_id,
          type: EVENT_TYPES[event.action],
          status: ORDER_STATUSES[event.action],
          session_id: event.session_id,
          amount: event.amount,
          currency: event.currency_code,
        },
      }),
    signatureHeaders: options.scheme === 'standard-webhooks' ? ['webhook-signature'] : [options.signatureHeader ?? 'x-signature'],
    // Only timestamped schemes can tell a replay from a redelivery.
    replayToleranceSeconds: options.scheme === 'standard-webhooks' || options.timestamp ? 300 : undefined,
    wrongSecret: options.scheme === 'standard-webhooks' ? `whsec_${Buffer.from('some-other-key').toString('base64')}` : undefined,
    webhookActions: orderPayment ? ['captured', 'failed', 'not_supported'] : ['captured', 'failed', 'refunded', 'not_supported'],
  };
}

describe('manual gateway, X-Signature events', () => {
  const options = { secrets: [SECRET] };
  runProviderConformance(() => provider(options), fixtures(options, SECRET));
});

describe('X-Signature with a signed timestamp and minor units', () => {
  const options: HmacProviderOptionsInput = { secrets: [SECRET], timestamp: {}, amountUnit: 'minor' };
  runProviderConformance(() => provider(options), {
    ...fixtures(options, SECRET),
    payment: { amount: '1234.56', currency_code: 'EUR' },
  });
});

describe('Standard Webhooks scheme', () => {
  const options: HmacProviderOptionsInput = { scheme: 'standard-webhooks', secrets: [WHSEC] };
  runProviderConformance(() => provider(options), fixtures(options, WHSEC));
});

describe('order payment mode', () => {
  const options: HmacProviderOptionsInput = {
    secrets: [SECRET],
    mode: 'order-payment',
    orderPayment: { statuses: { PAID: 'captured', FAILED: 'failed' } },
  };
  runProviderConformance(() => provider(options), fixtures(options, SECRET));
});

describe('gateway with an API on 127.0.0.1', () => {
  const emulator = new GatewayEmulator('gateway-api-key');
  let apiBaseUrl = '';
  beforeAll(async () => {
    apiBaseUrl = await emulator.start();
  });
  afterAll(() => emulator.stop());
  const options = () => ({ secrets: [SECRET], apiBaseUrl, apiKey: 'gateway-api-key' });
  runProviderConformance(() => provider(options()), fixtures({ secrets: [SECRET], apiBaseUrl: 'http://127.0.0.1:1/v1' }, SECRET));
});
