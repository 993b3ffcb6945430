import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentActions, type WebhookActionAndData } from '@tender/core';
import { rejection } from '@tender/core/testing';
import type { EasypayPaymentProvider } from '@tender/provider-easypay';
import {
  buildEasypayNotification,
  type EasypayEmulator,
  type EasypayNotificationBody,
  notificationForPayment,
  type WebhookDelivery,
} from '@tender/provider-easypay/testing';
import { sessionId, toProviderPayload } from '@tender/provider-testkit';
import { providerFor, startEasypayEmulator, WEBHOOK_SECRET } from './support.js';

let emu: EasypayEmulator;
let provider: EasypayPaymentProvider;
let cardProvider: EasypayPaymentProvider;
beforeAll(async () => {
  emu = await startEasypayEmulator();
  provider = providerFor(emu);
  cardProvider = providerFor(emu, { method: 'cc', type: 'authorisation' });
});
afterAll(async () => {
  await emu.close();
});

function read(delivery: WebhookDelivery, using: EasypayPaymentProvider = provider): Promise<WebhookActionAndData> {
  return using.getWebhookActionAndData(toProviderPayload(delivery));
}

function notify(body: EasypayNotificationBody, via: 'basic' | 'query' = 'basic'): WebhookDelivery {
  return buildEasypayNotification(body, { secret: WEBHOOK_SECRET, via });
}

async function newPayment(using = provider, amount = '10.50') {
  const session = sessionId();
  const { id, data } = await using.initiatePayment({ amount, currency_code: 'EUR', session_id: session });
  return { id, session, data: data! };
}

describe('Easypay notification credentials', () => {
  it('accepts the secret as the Basic password or as ?secret=', async () => {
    const { id, session } = await newPayment();
    emu.setStatus(id, 'paid');
    for (const via of ['basic', 'query'] as const) {
      const result = await read(notify({ id, key: session, type: 'capture', status: 'success' }, via));
      expect(result.action).toBe(PaymentActions.CAPTURED);
    }
  });

  it('rejects a notification without credentials, or with the wrong secret, before calling Easypay', async () => {
    const { id, session } = await newPayment();
    emu.setStatus(id, 'paid');
    const body = { id, key: session, type: 'capture', status: 'success' };
    const before = emu.requests.length;
    const none = await rejection(read(buildEasypayNotification(body)));
    expect(none.type).toBe('unauthorized');
    expect(none.message).toContain('carries no credentials');
    for (const via of ['basic', 'query'] as const) {
      const wrong = await rejection(read(buildEasypayNotification(body, { secret: 'not-the-configured-secret', via })));
      expect(wrong.type).toBe('unauthorized');
    }
    expect(emu.requests.length).toBe(before);
  });

  it('rejects a non-Basic Authorization header, even for a real paid payment', async () => {
    const { id, session } = await newPayment();
    emu.setStatus(id, 'paid');
    const delivery = notify({ id, key: session, type: 'capture', status: 'success' });
    delivery.headers.authorization = `Bearer ${WEBHOOK_SECRET}`;
    const error = await rejection(read(delivery));
    expect(error.type).toBe('unauthorized');
    expect(error.message).toContain('carries no credentials');
  });
});

describe('Easypay notification payloads', () => {
  it('rejects malformed bodies and non-POST requests as invalid data', async () => {
    const base = notify({ id: 'x', type: 'capture', status: 'success' });
    for (const rawBody of ['not json', '[1]', '{"type":"capture","status":"success"}', '{"id":"x","type":"capture"}']) {
      expect((await rejection(read({ ...base, rawBody: Buffer.from(rawBody) }))).type).toBe('invalid_data');
    }
    expect((await rejection(read({ ...base, method: 'GET' }))).type).toBe('invalid_data');
  });

  it('rejects a notification naming a payment Easypay does not have (forged or tampered id)', async () => {
    const error = await rejection(
      read(notify({ id: '00000000-0000-4000-8000-000000000000', type: 'capture', status: 'success' })),
    );
    expect(error.type).toBe('unauthorized');
    expect(error.message).toContain('not issued by Easypay');
  });

  it('takes the session id and amount from the fetched payment, not from the payload', async () => {
    const { id, session } = await newPayment(provider, '17.50');
    emu.setStatus(id, 'paid');
    const result = await read(notify({ id, key: 'payses_FORGED', type: 'capture', status: 'success' }));
    expect(result.data).toEqual({ session_id: session, amount: '17.50', currency_code: 'eur' });
  });

  it.each([
    ['zero', '0.00'],
    ['negative', '-5.00'],
    ['over-precise', '10.005'],
  ])('refuses a paid payment whose %s value Easypay reports as invalid_data (400), never a capture of it', async (_l, value) => {
    const session = sessionId();
    const payment = emu.seedPayment({ key: session, value, payment_status: 'paid' });
    const error = await rejection(read(notify({ id: payment.id, key: session, type: 'capture', status: 'success' })));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/Easypay value/);
  });
});

describe('Easypay notification types: the fetched status decides', () => {
  it.each([
    ['authorisation', 'success', 'authorised', PaymentActions.AUTHORIZED],
    ['authorisation', 'failed', 'failed', PaymentActions.FAILED],
    ['authorisation', 'failed', 'declined', PaymentActions.FAILED],
    ['capture', 'success', 'paid', PaymentActions.CAPTURED],
    ['capture', 'failed', 'failed', PaymentActions.FAILED],
    ['capture', 'failed', 'expired', PaymentActions.CANCELED],
    ['capture', 'success', 'refunded', PaymentActions.CAPTURED],
    ['authorisation', 'success', 'paid', PaymentActions.CAPTURED],
  ] as const)('%s %s with payment_status %s → %s', async (type, status, fetched, action) => {
    const { id, session } = await newPayment(cardProvider);
    emu.setStatus(id, fetched);
    const result = await read(notify({ id, key: session, type, status }), cardProvider);
    expect(result.action).toBe(action);
    expect(result.event_type).toBe(`${type}.${status}`);
    expect(result.data?.session_id).toBe(session);
  });

  it('a payload claiming failure does not fail a payment Easypay reports as paid', async () => {
    const { id, session } = await newPayment();
    emu.setStatus(id, 'paid');
    expect((await read(notify({ id, key: session, type: 'capture', status: 'failed' }))).action).toBe(PaymentActions.CAPTURED);
  });

  it('a payload claiming success for a still-pending payment is refused as retryable, not applied', async () => {
    const { id, session } = await newPayment();
    const error = await rejection(read(notify({ id, key: session, type: 'capture', status: 'success' })));
    expect(error.type).toBe('unavailable');
  });

  it('a failure notification for a payment still pending reads as pending', async () => {
    const { id, session } = await newPayment();
    expect((await read(notify({ id, key: session, type: 'capture', status: 'failed' }))).action).toBe(PaymentActions.PENDING);
  });

  it('refund: reads the refund operation and reports its amount', async () => {
    const { id, session, data } = await newPayment(provider, '30.00');
    emu.setStatus(id, 'paid');
    const refunded = await provider.refundPayment({ data, amount: '12.25', context: { idempotency_key: `rf:${id}` } });
    const refundId = (refunded.data!.refund_ids as string[])[0];
    const result = await read(notify({ id: refundId, key: `rf:${id}`, type: 'refund', status: 'success' }));
    expect(result).toMatchObject({
      action: PaymentActions.REFUNDED,
      data: { session_id: session, amount: '12.25', currency_code: 'eur' },
    });
  });

  it('refund: one still processing at Easypay is retried later; a failed one is not acted on', async () => {
    const { id, session, data } = await newPayment(provider, '30.00');
    emu.setStatus(id, 'paid');
    const refunded = await provider.refundPayment({ data, amount: '1.00', context: { idempotency_key: `rf2:${id}` } });
    const refundId = (refunded.data!.refund_ids as string[])[0];
    emu.setOperationStatus(refundId, 'processing');
    expect((await rejection(read(notify({ id: refundId, key: session, type: 'refund', status: 'success' })))).type).toBe(
      'unavailable',
    );
    emu.setOperationStatus(refundId, 'failed');
    expect((await read(notify({ id: refundId, key: session, type: 'refund', status: 'failed' }))).action).toBe(
      PaymentActions.NOT_SUPPORTED,
    );
  });

  it('void: reads the void operation and reports the payment canceled', async () => {
    const { id, session, data } = await newPayment(cardProvider, '9.99');
    emu.setStatus(id, 'authorised');
    await cardProvider.cancelPayment({ data, context: { idempotency_key: `void:${id}` } });
    const voidId = [...emu.voids.values()].find((v) => v.payment_id === id)!.id;
    const result = await read(notify({ id: voidId, key: `void:${id}`, type: 'void', status: 'success' }), cardProvider);
    expect(result).toMatchObject({ action: PaymentActions.CANCELED, data: { session_id: session, amount: '9.99' } });
  });

  it('refund / void notifications naming an unknown operation are rejected', async () => {
    for (const type of ['refund', 'void']) {
      const error = await rejection(read(notify({ id: '00000000-0000-4000-8000-000000000001', type, status: 'success' })));
      expect(error.type).toBe('unauthorized');
    }
  });

  it('chargeback: verified, recorded as not_supported and logged', async () => {
    const warnings: object[] = [];
    const logged = providerFor(emu);
    Object.assign(logged, { dependencies: { logger: { info() {}, error() {}, warn: (o: object) => warnings.push(o) } } });
    const { id, session } = await newPayment();
    emu.setStatus(id, 'paid');
    const result = await read(notify({ id, key: session, type: 'chargeback', status: 'success' }), logged);
    expect(result).toMatchObject({ action: PaymentActions.NOT_SUPPORTED, event_type: 'chargeback.success' });
    expect(result.event_id).toBeTruthy();
    expect(warnings).toEqual([{ payment_id: id }]);
    const forged = await rejection(
      read(notify({ id: '00000000-0000-4000-8000-000000000002', type: 'chargeback', status: 'success' })),
    );
    expect(forged.type).toBe('unauthorized');
  });

  it.each(['frequent_create', 'subscription_capture', 'out_payment'])('%s is acknowledged as not_supported', async (type) => {
    const result = await read(notify({ id: 'some-id', key: 'k', type, status: 'success' }));
    expect(result).toMatchObject({ action: PaymentActions.NOT_SUPPORTED, event_id: `${type}:some-id:k:success` });
  });
});

describe('Easypay notification event ids', () => {
  it('a repeated notification keeps its event id; other operations and outcomes get new ones', async () => {
    const { id, session } = await newPayment(cardProvider);
    emu.setStatus(id, 'authorised');
    const authorisation = notify({ id, key: session, type: 'authorisation', status: 'success', date: '2026-11-25 10:00:00' });
    const first = await read(authorisation, cardProvider);
    const redelivered = await read(
      notify({ id, key: session, type: 'authorisation', status: 'success', date: '2026-11-25 10:05:00' }),
      cardProvider,
    );
    expect(redelivered.event_id).toBe(first.event_id);
    emu.setStatus(id, 'paid');
    const capture = await read(notify({ id, key: 'capture-key-1', type: 'capture', status: 'success' }), cardProvider);
    const secondCapture = await read(notify({ id, key: 'capture-key-2', type: 'capture', status: 'success' }), cardProvider);
    const failedCapture = await read(notify({ id, key: 'capture-key-1', type: 'capture', status: 'failed' }), cardProvider);
    const ids = new Set([first.event_id, capture.event_id, secondCapture.event_id, failedCapture.event_id]);
    expect(ids.size).toBe(4);
  });

  it('notificationForPayment builds what Easypay sends for the emulated payment state', async () => {
    const { id, session } = await newPayment();
    const paid = emu.setStatus(id, 'paid');
    const delivery = notificationForPayment(paid, { secret: WEBHOOK_SECRET });
    expect(JSON.parse(delivery.rawBody.toString())).toMatchObject({ id, key: session, type: 'capture', status: 'success' });
    expect((await read(delivery)).action).toBe(PaymentActions.CAPTURED);
  });
});
