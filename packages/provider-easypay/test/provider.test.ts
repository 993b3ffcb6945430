import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentSessionStatus } from '@tender/core';
import { rejection } from '@tender/core/testing';
import type { EasypayEmulator } from '@tender/provider-easypay/testing';
import { sessionId } from '@tender/provider-testkit';
import { providerFor, startEasypayEmulator } from './support.js';

let emu: EasypayEmulator;
beforeAll(async () => {
  emu = await startEasypayEmulator();
});
afterAll(async () => {
  await emu.close();
});

describe('Easypay initiatePayment', () => {
  it('creates a Multibanco sale keyed by the session id and returns entity + reference', async () => {
    const session = sessionId();
    const out = await providerFor(emu).initiatePayment({ amount: '10.5', currency_code: 'eur', session_id: session });
    expect(out.status).toBe(PaymentSessionStatus.PENDING);
    const payment = emu.payments.get(out.id)!;
    expect(payment).toMatchObject({ key: session, type: 'sale', value: '10.50', currency: 'EUR' });
    expect(payment.capture?.transaction_key).toBe(session);
    expect(out.data).toMatchObject({
      easypay_id: out.id,
      session_id: session,
      method: 'mb',
      value: '10.50',
      entity: '10611',
      reference: payment.method.reference,
    });
  });

  it('writes the amount as an exact JSON number literal, never through a float', async () => {
    const out = await providerFor(emu).initiatePayment({ amount: '0.70', currency_code: 'EUR', session_id: sessionId() });
    const request = emu.requests.find(
      (r) => r.method === 'POST' && r.path === '/single' && r.body.includes(out.data!.session_id as string),
    );
    expect(request?.body).toContain('"value":0.70');
  });

  it('sends the idempotency key, so a retried initiation returns the same payment', async () => {
    const provider = providerFor(emu);
    const input = {
      amount: '12.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      context: { idempotency_key: 'init-retry-1' },
    };
    const first = await provider.initiatePayment(input);
    const second = await provider.initiatePayment(input);
    expect(second.id).toBe(first.id);
    const sent = emu.requests.filter((r) => r.headers['idempotency-key'] === 'init-retry-1');
    expect(sent).toHaveLength(2);
  });

  it('creates an MB WAY request with the customer phone, and refuses one without', async () => {
    const provider = providerFor(emu, { method: 'mbw' });
    const out = await provider.initiatePayment({
      amount: '5.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      data: { phone: '911234567' },
      context: { customer: { email: 'a@b.pt', name: 'Ana' } },
    });
    expect(emu.payments.get(out.id)).toMatchObject({
      method: { type: 'mbw' },
      customer: { phone: '911234567', email: 'a@b.pt' },
    });
    expect(out.data?.alias).toBe('351#911234567');
    const error = await rejection(provider.initiatePayment({ amount: '5.00', currency_code: 'EUR', session_id: sessionId() }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toContain('data.phone');
  });

  it('creates a card authorisation and hands back the payment page URL', async () => {
    const out = await providerFor(emu, { method: 'cc', type: 'authorisation' }).initiatePayment({
      amount: '20.00',
      currency_code: 'EUR',
      session_id: sessionId(),
    });
    expect(emu.payments.get(out.id)?.type).toBe('authorisation');
    expect(out.data?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/2\.0\/_emulator\/cc\//);
  });

  it('refuses amounts with more decimals than the currency has', async () => {
    const provider = providerFor(emu);
    const error = await rejection(provider.initiatePayment({ amount: '1.005', currency_code: 'EUR', session_id: sessionId() }));
    expect(error.type).toBe('invalid_data');
  });

  it("fits long idempotency keys into Easypay's 50 characters, the same on every retry", async () => {
    const provider = providerFor(emu);
    const input = {
      amount: '2.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      context: { idempotency_key: `initiate:${'k'.repeat(60)}` },
    };
    const first = await provider.initiatePayment(input);
    const second = await provider.initiatePayment(input);
    expect(second.id).toBe(first.id);
    const keys = emu.requests.slice(-2).map((r) => r.headers['idempotency-key'] as string);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0].length).toBeLessThanOrEqual(50);
  });

  it.each([
    ['911234567', 'sale', 'paid'],
    ['911234567', 'authorisation', 'authorised'],
    ['917654321', 'sale', 'failed'],
    ['913456789', 'sale', 'declined'],
    ['919876543', 'sale', 'pending'],
  ] as const)('MB WAY sandbox phone %s (%s) ends %s, as at Easypay', async (phone, type, expected) => {
    const provider = providerFor(emu, { method: 'mbw', type });
    const { id, data } = await provider.initiatePayment({
      amount: '1.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      data: { phone },
    });
    expect(emu.payments.get(id)?.payment_status).toBe(expected);
    expect((await provider.authorizePayment({ data: data! })).data?.payment_status).toBe(expected);
  });

  it('reports refused credentials as a provider error that says what to check', async () => {
    const error = await rejection(
      providerFor(emu, { apiKey: 'wrong' }).initiatePayment({ amount: '1.00', currency_code: 'EUR', session_id: sessionId() }),
    );
    expect(error.type).toBe('provider_error');
    expect(error.message).toContain('accountId and apiKey');
  });

  it('reports an unreachable API as unavailable', async () => {
    const error = await rejection(
      providerFor(emu, { apiBaseUrl: 'http://127.0.0.1:9/2.0' }).initiatePayment({
        amount: '1.00',
        currency_code: 'EUR',
        session_id: sessionId(),
      }),
    );
    expect(error.type).toBe('unavailable');
  });
});

describe('Easypay authorize / status / retrieve', () => {
  it.each([
    ['pending', PaymentSessionStatus.PENDING],
    ['authorised', PaymentSessionStatus.AUTHORIZED],
    ['paid', PaymentSessionStatus.CAPTURED],
    ['failed', PaymentSessionStatus.ERROR],
    ['voided', PaymentSessionStatus.CANCELED],
    ['deleted', PaymentSessionStatus.CANCELED],
  ] as const)('maps payment_status %s to session status %s', async (easypayStatus, expected) => {
    const provider = providerFor(emu, { method: 'cc', type: 'authorisation' });
    const { id, data } = await provider.initiatePayment({ amount: '3.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, easypayStatus);
    const authorized = await provider.authorizePayment({ data: data! });
    expect(authorized.status).toBe(expected);
    expect(authorized.data?.payment_status).toBe(easypayStatus);
    expect((await provider.getPaymentStatus({ data: data! })).status).toBe(expected);
    expect((await provider.retrievePayment({ data: data! })).data?.payment_status).toBe(easypayStatus);
  });

  it('says clearly when the data was not made by this provider', async () => {
    const error = await rejection(providerFor(emu).authorizePayment({ data: {} }));
    expect(error.message).toContain('easypay_id');
  });
});

describe('Easypay capture', () => {
  it('captures an authorisation once, even when retried with the same key', async () => {
    const provider = providerFor(emu, { method: 'cc', type: 'authorisation' });
    const { id, data } = await provider.initiatePayment({ amount: '20.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, 'authorised');
    const context = { idempotency_key: `capture:${id}:1` };
    const first = await provider.capturePayment({ data: data!, amount: '20', context });
    const second = await provider.capturePayment({ data: data!, amount: '20', context });
    expect(first.data?.payment_status).toBe('paid');
    expect(second.data?.payment_status).toBe('paid');
    const captures = [...emu.captures.values()].filter((c) => c.payment_id === id);
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ value: '20.00', transaction_key: `capture:${id}:1` });
  });

  it('treats a paid sale as already captured, without calling /capture', async () => {
    const provider = providerFor(emu);
    const { id, data } = await provider.initiatePayment({ amount: '8.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, 'paid');
    const before = emu.requests.length;
    await provider.capturePayment({ data: data! });
    expect(emu.requests.slice(before).map((r) => r.method + r.path)).toEqual([`GET/single/${id}`]);
  });

  it('refuses to capture a pending payment', async () => {
    const provider = providerFor(emu);
    const { data } = await provider.initiatePayment({ amount: '8.00', currency_code: 'EUR', session_id: sessionId() });
    expect((await rejection(provider.capturePayment({ data: data! }))).type).toBe('not_allowed');
  });
});

describe('Easypay refund', () => {
  it('refunds partially then fully, once per idempotency key', async () => {
    const provider = providerFor(emu);
    const { id, data } = await provider.initiatePayment({ amount: '30.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, 'paid');
    const first = await provider.refundPayment({ data: data!, amount: '10', context: { idempotency_key: `refund:${id}:1` } });
    await provider.refundPayment({ data: first.data!, amount: '10', context: { idempotency_key: `refund:${id}:1` } });
    expect(emu.payments.get(id)?.payment_status).toBe('partially_refunded');
    const second = await provider.refundPayment({
      data: first.data!,
      amount: '20.00',
      context: { idempotency_key: `refund:${id}:2` },
    });
    expect(emu.payments.get(id)?.payment_status).toBe('refunded');
    expect([...emu.refunds.values()].filter((r) => r.payment_id === id).map((r) => r.value)).toEqual(['10.00', '20.00']);
    expect(second.data?.refund_ids).toHaveLength(2);
  });

  it("passes Easypay's refusal on as a provider error", async () => {
    const provider = providerFor(emu);
    const { id, data } = await provider.initiatePayment({ amount: '5.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, 'paid');
    const error = await rejection(
      provider.refundPayment({ data: data!, amount: '6.00', context: { idempotency_key: `r:${id}` } }),
    );
    expect(error.type).toBe('provider_error');
    expect(error.message).toContain('exceeds');
  });
});

describe('Easypay cancel', () => {
  it('voids an authorisation, and a second cancel changes nothing', async () => {
    const provider = providerFor(emu, { method: 'mbw', type: 'authorisation' });
    const { id, data } = await provider.initiatePayment({
      amount: '4.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      data: { phone: '911234567' },
    });
    emu.setStatus(id, 'authorised');
    const context = { idempotency_key: `cancel:${id}` };
    expect((await provider.cancelPayment({ data: data!, context })).data?.payment_status).toBe('voided');
    expect((await provider.cancelPayment({ data: data!, context })).data?.payment_status).toBe('voided');
    expect([...emu.voids.values()].filter((v) => v.payment_id === id)).toHaveLength(1);
  });

  it('deletes a pending MB WAY request', async () => {
    const provider = providerFor(emu, { method: 'mbw' });
    const { id, data } = await provider.initiatePayment({
      amount: '4.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      data: { phone: '919876543' },
    });
    await provider.cancelPayment({ data: data! });
    expect(emu.payments.get(id)?.payment_status).toBe('deleted');
  });

  it('leaves a pending Multibanco reference to expire (Easypay cannot delete one)', async () => {
    const provider = providerFor(emu);
    const { id, data } = await provider.initiatePayment({ amount: '4.00', currency_code: 'EUR', session_id: sessionId() });
    const out = await provider.cancelPayment({ data: data! });
    expect(out.data?.cancel_note).toContain('expire');
    expect(emu.payments.get(id)?.payment_status).toBe('pending');
  });

  it('refuses to cancel a paid payment', async () => {
    const provider = providerFor(emu);
    const { id, data } = await provider.initiatePayment({ amount: '4.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, 'paid');
    expect((await rejection(provider.cancelPayment({ data: data! }))).type).toBe('not_allowed');
  });

  it('deletePayment cancels', async () => {
    const provider = providerFor(emu, { method: 'cc', type: 'authorisation' });
    const { id, data } = await provider.initiatePayment({ amount: '4.00', currency_code: 'EUR', session_id: sessionId() });
    await provider.deletePayment({ data: data! });
    expect(emu.payments.get(id)?.payment_status).toBe('deleted');
  });
});

describe('Easypay updatePayment', () => {
  it('keeps the payment when nothing changed', async () => {
    const provider = providerFor(emu);
    const { data } = await provider.initiatePayment({ amount: '4.00', currency_code: 'EUR', session_id: sessionId() });
    expect((await provider.updatePayment({ amount: '4', currency_code: 'eur', data: data! })).data).toEqual(data);
  });

  it('replaces a pending payment whose amount changed, under the same session key', async () => {
    const provider = providerFor(emu, { method: 'cc' });
    const session = sessionId();
    const { id, data } = await provider.initiatePayment({ amount: '4.00', currency_code: 'EUR', session_id: session });
    const updated = await provider.updatePayment({ amount: '6.00', currency_code: 'EUR', data: data! });
    expect(updated.data?.easypay_id).not.toBe(id);
    expect(emu.payments.get(id)?.payment_status).toBe('deleted');
    expect(emu.payments.get(updated.data?.easypay_id as string)).toMatchObject({ key: session, value: '6.00' });
  });
});
