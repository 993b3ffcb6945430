import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentActions, type WebhookActionAndData } from '@tender/core';
import { rejection } from '@tender/core/testing';
import { type IfthenpayPaymentProvider, parseCallbackAmount } from '@tender/provider-ifthenpay';
import { buildIfthenpayCallback, type IfthenpayEmulator, type WebhookDelivery } from '@tender/provider-ifthenpay/testing';
import { sessionId, toProviderPayload } from '@tender/provider-testkit';
import { providerFor, startIfthenpayEmulator } from './support.js';

let emu: IfthenpayEmulator;
let multibanco: IfthenpayPaymentProvider;
let mbway: IfthenpayPaymentProvider;
beforeAll(async () => {
  emu = await startIfthenpayEmulator();
  multibanco = providerFor(emu);
  mbway = providerFor(emu, { method: 'mbway' });
});
afterAll(async () => {
  await emu.close();
});

function read(delivery: WebhookDelivery, provider: IfthenpayPaymentProvider = multibanco): Promise<WebhookActionAndData> {
  return provider.getWebhookActionAndData(toProviderPayload(delivery));
}

async function newReference(amount = '10.50') {
  const session = sessionId();
  const { id } = await multibanco.initiatePayment({ amount, currency_code: 'EUR', session_id: session });
  return { requestId: id, session };
}

async function newMbway(amount = '4.20') {
  const session = sessionId();
  const { id } = await mbway.initiatePayment({ amount, currency_code: 'EUR', session_id: session, data: { phone: '911234567' } });
  return { requestId: id, session };
}

describe('Ifthenpay callbacks', () => {
  it('reads a Multibanco payment callback as captured, with the session and callback amount', async () => {
    const { requestId, session } = await newReference('10.50');
    const delivery = emu.pay(requestId);
    expect(delivery.method).toBe('GET');
    expect(delivery.rawBody.length).toBe(0);
    expect(Object.keys(delivery.query).sort()).toEqual(
      ['amount', 'entity', 'key', 'orderId', 'payment_datetime', 'reference', 'requestId'].sort(),
    );
    const result = await read(delivery);
    expect(result).toEqual({
      action: PaymentActions.CAPTURED,
      event_id: `multibanco:paid:${requestId}`,
      event_type: 'multibanco.paid',
      data: { session_id: session, amount: '10.50', currency_code: 'eur' },
    });
  });

  it('reads an MB WAY payment callback as captured', async () => {
    const { requestId, session } = await newMbway('4.20');
    const result = await read(emu.pay(requestId), mbway);
    expect(result).toMatchObject({
      action: PaymentActions.CAPTURED,
      event_type: 'mbway.paid',
      event_id: `mbway:paid:${requestId}`,
      data: { session_id: session, amount: '4.20' },
    });
  });

  it('a repeated callback returns the same event id; another payment gets another', async () => {
    const first = await newReference();
    const delivery = emu.pay(first.requestId);
    const again = buildIfthenpayCallback({
      antiPhishingKey: emu.antiPhishingKey,
      orderId: first.session,
      amount: '10.50',
      requestId: first.requestId,
      entity: delivery.query.entity,
      reference: delivery.query.reference,
      paymentDatetime: '01-01-2027 10:00:00',
    });
    const second = await newReference();
    const ids = [(await read(delivery)).event_id, (await read(again)).event_id, (await read(emu.pay(second.requestId))).event_id];
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});

describe('Ifthenpay callback authenticity', () => {
  it('rejects a wrong anti-phishing key', async () => {
    const { requestId } = await newReference();
    const delivery = emu.pay(requestId);
    for (const key of ['wrong-anti-phishing-key', `${emu.antiPhishingKey}x`, emu.antiPhishingKey.slice(0, -1), '']) {
      const error = await rejection(read({ ...delivery, query: { ...delivery.query, key } }));
      expect(error.type).toBe('unauthorized');
    }
  });

  it('rejects a callback without a key', async () => {
    const { requestId } = await newReference();
    const { key: _key, ...query } = emu.pay(requestId).query;
    const error = await rejection(read({ ...emu.pay(requestId), query }));
    expect(error.type).toBe('unauthorized');
    expect(error.message).toContain('key=[ANTI_PHISHING_KEY]');
  });

  it('rejects a legacy callback with the wrong chave', async () => {
    const { requestId } = await newReference();
    const delivery = emu.pay(requestId, { legacy: true });
    expect((await rejection(read({ ...delivery, query: { ...delivery.query, chave: 'not-the-key-123' } }))).type).toBe(
      'unauthorized',
    );
  });

  it('passes the callback amount through unchanged, so the module can reject a tampered one', async () => {
    const { requestId, session } = await newReference('10.50');
    const delivery = emu.pay(requestId);
    const result = await read({ ...delivery, query: { ...delivery.query, amount: '0.01' } });
    expect(result.data).toEqual({ session_id: session, amount: '0.01', currency_code: 'eur' });
  });
});

describe('Ifthenpay callback parameters', () => {
  it('accepts the legacy Multibanco parameters (chave, entidade, referencia, valor)', async () => {
    const { requestId, session } = await newReference('15.00');
    const delivery = emu.pay(requestId, { legacy: true });
    expect(delivery.query).toMatchObject({ chave: emu.antiPhishingKey, valor: '15.00', idpedido: requestId, orderId: session });
    expect(delivery.query.entidade).toBeDefined();
    expect(delivery.query.referencia).toBeDefined();
    const result = await read(delivery);
    expect(result).toMatchObject({
      action: PaymentActions.CAPTURED,
      event_id: `multibanco:paid:${requestId}`,
      data: { session_id: session },
    });
  });

  it('a legacy Multibanco callback without requestId is identified by entity and reference', async () => {
    const { requestId, session } = await newReference('3.00');
    const { idpedido: _id, ...query } = emu.pay(requestId, { legacy: true }).query;
    const result = await read({ method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) });
    expect(result.event_id).toBe(`multibanco:paid:${query.entidade}:${query.referencia}`);
    expect(result.data?.session_id).toBe(session);
  });

  it('accepts the legacy MB WAY callback (referencia is the order, estado PAGO)', async () => {
    const { requestId, session } = await newMbway('2.50');
    const delivery = emu.pay(requestId, { legacy: true });
    expect(delivery.query).toMatchObject({ referencia: session, estado: 'PAGO', idpedido: requestId });
    expect(await read(delivery, mbway)).toMatchObject({
      action: PaymentActions.CAPTURED,
      event_id: `mbway:paid:${requestId}`,
      data: { session_id: session, amount: '2.50' },
    });
  });

  it('a legacy MB WAY callback that also names orderId is still MB WAY', async () => {
    const { requestId, session } = await newMbway('2.50');
    const delivery = emu.pay(requestId, { legacy: true });
    const result = await read({ ...delivery, query: { ...delivery.query, orderId: session } }, mbway);
    expect(result).toMatchObject({ event_type: 'mbway.paid', data: { session_id: session } });
  });

  it('a legacy MB WAY callback in another state is acknowledged but not acted on', async () => {
    const { requestId, session } = await newMbway();
    const delivery = buildIfthenpayCallback(
      { antiPhishingKey: emu.antiPhishingKey, orderId: session, amount: '4.20', requestId },
      { legacy: true },
    );
    const result = await read({ ...delivery, query: { ...delivery.query, estado: 'REJEITADO' } }, mbway);
    expect(result).toMatchObject({ action: PaymentActions.NOT_SUPPORTED, event_type: 'mbway.REJEITADO' });
  });

  it.each([
    [{}, ''],
    [{ legacy: true }, ' (legacy)'],
  ])('accepts a decimal comma exactly%s', async (style, _label) => {
    const { requestId } = await newReference('1234.56');
    const delivery = emu.pay(requestId, { ...style, decimalComma: true });
    expect(Object.values(delivery.query)).toContain('1234,56');
    expect((await read(delivery)).data?.amount).toBe('1234.56');
  });

  it('refuses a callback with no orderId, saying what to add to the URL', async () => {
    const { requestId } = await newReference();
    const { orderId: _orderId, ...query } = emu.pay(requestId).query;
    const error = await rejection(read({ method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toContain('orderId=[ORDER_ID]');
  });

  it('refuses an MB WAY callback without requestId and a Multibanco one without its reference', async () => {
    const { requestId } = await newMbway();
    const { requestId: _r, ...mbwayQuery } = emu.pay(requestId).query;
    const noRequestId = await rejection(read({ method: 'GET', headers: {}, query: mbwayQuery, rawBody: Buffer.alloc(0) }, mbway));
    expect(noRequestId.type).toBe('invalid_data');
    const mb = await newReference();
    const { reference: _ref, ...mbQuery } = emu.pay(mb.requestId).query;
    expect((await rejection(read({ method: 'GET', headers: {}, query: mbQuery, rawBody: Buffer.alloc(0) }))).type).toBe(
      'invalid_data',
    );
  });

  it.each(['10.5.0', '1.000,50', '1,000.50', '10,', 'abc', '-1.00', '10.505', '', '57.350', '57,350', '0.00', '0', ' 10.50'])(
    'refuses the malformed amount "%s"',
    async (amount) => {
      const { requestId } = await newReference();
      const delivery = emu.pay(requestId);
      expect((await rejection(read({ ...delivery, query: { ...delivery.query, amount } }))).type).toBe('invalid_data');
    },
  );
});

describe('parseCallbackAmount', () => {
  it.each([
    ['10.50', '10.50'],
    ['10,50', '10.50'],
    ['10,5', '10.50'],
    ['7', '7.00'],
    ['0.01', '0.01'],
    ['0,10', '0.10'],
    ['123456789.99', '123456789.99'],
    ['57.35', '57.35'],
    ['57,35', '57.35'],
  ])('reads %s as %s', (raw, expected) => {
    expect(parseCallbackAmount(raw)).toBe(expected);
  });

  it.each([
    ['57.350', /at most two decimals/],
    ['57,350', /at most two decimals/],
    ['0,00', /greater than zero/],
  ])('refuses %s, as the README says', (raw, message) => {
    expect(() => parseCallbackAmount(raw)).toThrow(message);
  });
});
