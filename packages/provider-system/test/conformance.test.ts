import { signTimestamped } from '@tender/core';
import { SYSTEM_SIGNATURE_HEADER, SystemPaymentProvider, type SystemProviderOptions } from '@tender/provider-system';
import { type ConformanceWebhookEvent, runProviderConformance } from '@tender/provider-testkit';

const SECRET = 'system-conformance-secret';
const options = { webhookSecrets: [SECRET] };

/** The system provider's event types, by the action each one means. */
const EVENT_TYPES: Record<string, string> = {
  authorized: 'payment.authorized',
  captured: 'payment.captured',
  failed: 'payment.failed',
  canceled: 'payment.canceled',
  pending: 'payment.pending',
  requires_more: 'payment.requires_more',
  refunded: 'payment.refunded',
  not_supported: 'payment.disputed',
};

function signedWebhook(event: ConformanceWebhookEvent, sign: { secret?: string; timestamp?: number }) {
  const rawBody = Buffer.from(
    JSON.stringify({
      id: event.event_id,
      type: EVENT_TYPES[event.action],
      data: { session_id: event.session_id, amount: event.amount, currency_code: event.currency_code },
    }),
  );
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SYSTEM_SIGNATURE_HEADER]: signTimestamped(sign.secret ?? SECRET, rawBody, sign.timestamp),
    },
    rawBody,
  };
}

runProviderConformance(
  () => new SystemPaymentProvider({}, SystemPaymentProvider.validateOptions(options) as SystemProviderOptions),
  {
    providerClass: SystemPaymentProvider,
    validOptions: options,
    invalidOptions: [
      { options: { webhookSecrets: ['short'] }, mentions: 'webhookSecrets', description: 'webhookSecrets (too short)' },
      { options: { webhookSecrets: [SECRET], tolerance: -1 }, mentions: 'tolerance' },
    ],
    signedWebhook,
    signatureHeaders: [SYSTEM_SIGNATURE_HEADER],
    replayToleranceSeconds: 300,
    webhookActions: Object.keys(EVENT_TYPES) as ConformanceWebhookEvent['action'][],
  },
);
