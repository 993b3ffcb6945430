import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentSessionStatus } from '@tender/core';
import { rejection } from '@tender/core/testing';
import type { IfthenpayEmulator } from '@tender/provider-ifthenpay/testing';
import { sessionId } from '@tender/provider-testkit';
import { providerFor, startIfthenpayEmulator } from './support.js';

let emu: IfthenpayEmulator;
beforeAll(async () => {
  emu = await startIfthenpayEmulator();
});
afterAll(async () => {
  await emu.close();
});

function mbway() {
  return providerFor(emu, { method: 'mbway' });
}

describe('Ifthenpay Multibanco', () => {
  it('creates a reference with the session id as orderId and a two-decimal amount', async () => {
    const session = sessionId();
    const out = await providerFor(emu).initiatePayment({ amount: '10.5', currency_code: 'eur', session_id: session });
    const payment = emu.payments.get(out.id)!;
    expect(payment).toMatchObject({ method: 'multibanco', orderId: session, amount: '10.50' });
    expect(out.status).toBe(PaymentSessionStatus.PENDING);
    expect(out.data).toMatchObject({
      request_id: out.id,
      method: 'multibanco',
      order_id: session,
      amount: '10.50',
      entity: '12345',
      reference: payment.reference,
    });
    expect(JSON.parse(emu.requests.at(-1)!.body)).toMatchObject({ mbKey: emu.mbKey, orderId: session, amount: '10.50' });
  });

  it('sends expiryDays when configured', async () => {
    await providerFor(emu, { expiryDays: 3 }).initiatePayment({ amount: '1.00', currency_code: 'EUR', session_id: sessionId() });
    expect(JSON.parse(emu.requests.at(-1)!.body).expiryDays).toBe('3');
  });

  it('stays pending until the callback: Ifthenpay has no status call for references', async () => {
    const provider = providerFor(emu);
    const { data } = await provider.initiatePayment({ amount: '2.00', currency_code: 'EUR', session_id: sessionId() });
    const before = emu.requests.length;
    expect((await provider.authorizePayment({ data: data! })).status).toBe(PaymentSessionStatus.PENDING);
    expect((await provider.getPaymentStatus({ data: data! })).status).toBe(PaymentSessionStatus.PENDING);
    expect(emu.requests.length).toBe(before);
  });

  it('refuses non-euro currencies, sub-cent amounts and a wrong Multibanco key', async () => {
    const provider = providerFor(emu);
    expect(
      (await rejection(provider.initiatePayment({ amount: '1.00', currency_code: 'usd', session_id: sessionId() }))).message,
    ).toContain('only takes EUR');
    expect(
      (await rejection(provider.initiatePayment({ amount: '1.001', currency_code: 'EUR', session_id: sessionId() }))).type,
    ).toBe('invalid_data');
    const wrongKey = await rejection(
      providerFor(emu, { mbKey: 'XXX-000000' }).initiatePayment({
        amount: '1.00',
        currency_code: 'EUR',
        session_id: sessionId(),
      }),
    );
    expect(wrongKey.type).toBe('provider_error');
    expect(wrongKey.message).toContain('Invalid mbKey');
  });

  it('reports an unreachable API as unavailable', async () => {
    const error = await rejection(
      providerFor(emu, { apiBaseUrl: 'http://127.0.0.1:9' }).initiatePayment({
        amount: '1.00',
        currency_code: 'EUR',
        session_id: sessionId(),
      }),
    );
    expect(error.type).toBe('unavailable');
  });
});

describe('Ifthenpay MB WAY', () => {
  it('sends the request to the customer phone as 351#number', async () => {
    const session = sessionId();
    const out = await mbway().initiatePayment({
      amount: '7.25',
      currency_code: 'EUR',
      session_id: session,
      data: { phone: '912 345 678' },
      context: { customer: { email: 'ana@example.pt' } },
    });
    expect(emu.payments.get(out.id)).toMatchObject({
      method: 'mbway',
      orderId: session,
      amount: '7.25',
      mobileNumber: '351#912345678',
    });
    expect(JSON.parse(emu.requests.at(-1)!.body)).toMatchObject({ mbWayKey: emu.mbWayKey, email: 'ana@example.pt' });
    expect(out.data).toMatchObject({ method: 'mbway', order_id: session, mobile_number: '351#912345678' });
  });

  it('needs the phone number', async () => {
    const error = await rejection(mbway().initiatePayment({ amount: '1.00', currency_code: 'EUR', session_id: sessionId() }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toContain('data.phone');
  });

  it.each([
    ['pending', PaymentSessionStatus.PENDING, '123'],
    ['paid', PaymentSessionStatus.CAPTURED, '000'],
    ['rejected', PaymentSessionStatus.CANCELED, '020'],
    ['expired', PaymentSessionStatus.CANCELED, '101'],
    ['declined', PaymentSessionStatus.ERROR, '122'],
  ] as const)('maps an MB WAY request that is %s to %s', async (status, expected, code) => {
    const provider = mbway();
    const { id, data } = await provider.initiatePayment({
      amount: '1.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      data: { phone: '911234567' },
    });
    emu.setStatus(id, status);
    const authorized = await provider.authorizePayment({ data: data! });
    expect(authorized).toMatchObject({ status: expected, data: { mbway_status: code } });
    expect((await provider.getPaymentStatus({ data: data! })).status).toBe(expected);
    expect((await provider.retrievePayment({ data: data! })).data?.mbway_status).toBe(code);
  });
});

describe('Ifthenpay capture, refund, cancel', () => {
  it('capture is a no-op for these sale-only methods', async () => {
    const provider = providerFor(emu);
    const { data } = await provider.initiatePayment({ amount: '1.00', currency_code: 'EUR', session_id: sessionId() });
    const before = emu.requests.length;
    expect((await provider.capturePayment({ data: data! })).data).toEqual(data);
    expect(emu.requests.length).toBe(before);
  });

  it('refunds a paid payment through the backoffice key, partially then fully', async () => {
    const provider = providerFor(emu);
    const { id, data } = await provider.initiatePayment({ amount: '20.00', currency_code: 'EUR', session_id: sessionId() });
    emu.setStatus(id, 'paid');
    const first = await provider.refundPayment({ data: data!, amount: '5' });
    const second = await provider.refundPayment({ data: first.data!, amount: '15.00' });
    expect(second.data?.refunds).toEqual(['5.00', '15.00']);
    expect(emu.payments.get(id)?.refunded).toBe('20');
    const tooMuch = await rejection(provider.refundPayment({ data: second.data!, amount: '0.01' }));
    expect(tooMuch.type).toBe('provider_error');
    expect(tooMuch.message).toContain('exceeds');
  });

  it('refund without a backoffice key says which option to add', async () => {
    const provider = providerFor(emu, { backofficeKey: undefined });
    const { data } = await provider.initiatePayment({ amount: '2.00', currency_code: 'EUR', session_id: sessionId() });
    const error = await rejection(provider.refundPayment({ data: data!, amount: '1.00' }));
    expect(error.type).toBe('not_allowed');
    expect(error.message).toContain('backofficeKey');
  });

  it('cancel marks the session canceled locally (Ifthenpay cannot withdraw a reference), repeatably', async () => {
    const provider = mbway();
    const { data } = await provider.initiatePayment({
      amount: '1.00',
      currency_code: 'EUR',
      session_id: sessionId(),
      data: { phone: '911234567' },
    });
    const once = await provider.cancelPayment({ data: data! });
    const twice = await provider.cancelPayment({ data: once.data! });
    expect(twice.data).toEqual(once.data);
    expect((await provider.getPaymentStatus({ data: once.data! })).status).toBe(PaymentSessionStatus.CANCELED);
  });

  it('says clearly when the data was not made by this provider', async () => {
    expect((await rejection(providerFor(emu).capturePayment({ data: {} }))).message).toContain('request_id');
  });
});
