import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import type { PaymentAction } from '@tender/core';
import { EasypayPaymentProvider } from '@tender/provider-easypay';
import {
  buildEasypayNotification,
  type EasypayEmulator,
  type EasypayNotificationBody,
  EMULATOR_ACCOUNT_ID,
  EMULATOR_API_KEY,
} from '@tender/provider-easypay/testing';
import { type ConformanceWebhookEvent, runProviderConformance } from '@tender/provider-testkit';
import { providerFor, startEasypayEmulator, WEBHOOK_SECRET } from './support.js';

let emu: EasypayEmulator;
beforeAll(async () => {
  emu = await startEasypayEmulator();
});
afterAll(async () => {
  await emu.close();
});

const MBWAY_SANDBOX_ACCEPTS = '911234567';
const MBWAY_SANDBOX_PENDING = '919876543';
const validOptions = { accountId: EMULATOR_ACCOUNT_ID, apiKey: EMULATOR_API_KEY, webhookSecret: WEBHOOK_SECRET };

/**
 * Easypay notifications are not signed: the provider re-reads the payment from the API. So "signing" a
 * conformance event means: make Easypay (the emulator) hold a payment in the state the event describes,
 * then send the notification Easypay would send, carrying the configured secret.
 */
function notificationFor(event: ConformanceWebhookEvent): EasypayNotificationBody {
  const value = event.amount;
  const seed = (payment_status: Parameters<EasypayEmulator['setStatus']>[1]) =>
    emu.seedPayment({ key: event.session_id, value, currency: event.currency_code.toUpperCase(), payment_status });
  const byAction: Partial<Record<PaymentAction, () => EasypayNotificationBody>> = {
    authorized: () => ({ id: seed('authorised').id, key: event.session_id, type: 'authorisation', status: 'success' }),
    captured: () => ({ id: seed('paid').id, key: event.session_id, type: 'capture', status: 'success' }),
    failed: () => ({ id: seed('failed').id, key: event.session_id, type: 'capture', status: 'failed' }),
    refunded: () => {
      const payment = seed('refunded');
      const refund = {
        id: randomUUID(),
        payment_id: payment.id,
        value,
        status: 'success' as const,
        transaction_key: event.event_id,
      };
      emu.refunds.set(refund.id, refund);
      return { id: refund.id, key: event.event_id, type: 'refund', status: 'success' };
    },
    canceled: () => {
      const payment = seed('voided');
      const voided = { id: randomUUID(), payment_id: payment.id, value, status: 'success' as const };
      emu.voids.set(voided.id, voided);
      return { id: voided.id, key: event.event_id, type: 'void', status: 'success' };
    },
    not_supported: () => ({ id: randomUUID(), key: event.event_id, type: 'subscription_capture', status: 'success' }),
  };
  const build = byAction[event.action];
  if (!build) throw new Error(`no Easypay notification for ${event.action}`);
  return build();
}

const fixtures = {
  providerClass: EasypayPaymentProvider,
  validOptions,
  invalidOptions: [
    { options: { ...validOptions, accountId: undefined }, mentions: 'accountId' },
    { options: { ...validOptions, apiKey: undefined }, mentions: 'apiKey' },
    { options: { ...validOptions, webhookSecret: undefined }, mentions: 'webhookSecret' },
    { options: { ...validOptions, webhookSecret: 'short' }, mentions: 'webhookSecret', description: 'webhookSecret (too short)' },
  ],
  signedWebhook: (event: ConformanceWebhookEvent, sign: { secret?: string }) =>
    buildEasypayNotification(notificationFor(event), { secret: sign.secret ?? WEBHOOK_SECRET }),
  signatureHeaders: ['authorization'],
  webhookActions: ['captured', 'authorized', 'failed', 'refunded', 'canceled', 'not_supported'] as PaymentAction[],
  // Easypay's sandbox phone that accepts at once, so the operations run on a payment the customer approved.
  payment: { data: { phone: MBWAY_SANDBOX_ACCEPTS } },
  // Any other phone stays pending until the customer acts: Easypay's status must then say so.
  unpaidPayment: { data: { phone: MBWAY_SANDBOX_PENDING } },
};

runProviderConformance(() => providerFor(emu, { method: 'mbw', type: 'authorisation' }), {
  ...fixtures,
  name: 'easypay provider conformance (MB WAY authorisation, then capture)',
});

runProviderConformance(() => providerFor(emu, { method: 'mbw', type: 'sale' }), {
  ...fixtures,
  name: 'easypay provider conformance (MB WAY sale)',
  skip: {
    cancel: 'an accepted MB WAY sale is paid at once, so it is refunded, not canceled (the authorisation run covers cancel)',
  },
});
