import { describe, expect, it } from '@jest/globals';
import { hmacSha256 } from '@tender/core';
import { createHmacWebhook } from '@tender/provider-hmac/testing';
import { expectTenderError, read, SECRET, signed, toRequest } from './support/harness.js';

const options = { secrets: [SECRET] };
const payment = { session_id: 'ps_01', amount: '25.00', currency: 'EUR' };

/** Signs arbitrary body text the way the default-configured gateway does. */
function signedBody(body: string) {
  const rawBody = Buffer.from(body);
  return toRequest({ 'x-signature': hmacSha256(SECRET, rawBody) }, rawBody);
}

describe('events mode: each gateway event', () => {
  it.each([
    ['payment.completed', 'captured', {}],
    ['payment.failed', 'failed', {}],
    // One refund per event, named so the workflow records it once (the event id stands in for a refund id).
    ['refund.completed', 'refunded', { reference: 'evt_refund.completed' }],
  ])('%s becomes %s with the session, a decimal-string amount and the event id', async (type, action, extra) => {
    const result = await read(options, signed(options, { event: { id: `evt_${type}`, type, ...payment } }));
    expect(result).toEqual({
      action,
      event_id: `evt_${type}`,
      event_type: type,
      data: { session_id: 'ps_01', amount: '25.00', currency_code: 'eur', ...extra },
    });
  });

  it("refund.completed names the refund by the gateway's refund id when it sends one", async () => {
    const rawBody = JSON.stringify({ id: 'evt_r', type: 'refund.completed', data: { ...payment, refund_id: 'rf_77' } });
    const result = await read(options, signed(options, { event: {}, rawBody }));
    expect(result.data?.reference).toBe('rf_77');
  });

  it.each(['refund.initiated', 'customer.created', 'customer.updated', 'payment.unheard_of'])(
    '%s is acknowledged as not_supported, keeping its event id',
    async (type) => {
      const result = await read(options, signed(options, { event: { id: 'evt_9', type } }));
      expect(result).toEqual({ action: 'not_supported', event_id: 'evt_9', event_type: type });
    },
  );

  it('events.actions adds and overrides mappings', async () => {
    const custom = {
      secrets: [SECRET],
      events: { actions: { 'payment.authorized': 'authorized' as const, 'payment.completed': 'authorized' as const } },
    };
    for (const type of ['payment.authorized', 'payment.completed']) {
      const result = await read(custom, signed(custom, { event: { type, ...payment } }));
      expect(result.action).toBe('authorized');
    }
    expect((await read(custom, signed(custom, { event: { type: 'payment.failed', ...payment } }))).action).toBe('failed');
  });

  it('reads configured field paths', async () => {
    const custom = {
      secrets: [SECRET],
      events: {
        eventIdField: 'event.uuid',
        typeField: 'event.name',
        sessionIdField: 'payment.metadata.cart',
        amountField: 'payment.total',
        currencyField: 'payment.ccy',
      },
    };
    const request = signed(custom, { event: { id: 'u-1', type: 'payment.completed', ...payment } });
    expect(await read(custom, request)).toMatchObject({ event_id: 'u-1', data: { session_id: 'ps_01', amount: '25.00' } });
    expect(JSON.parse(request.rawBody.toString())).toEqual({
      event: { uuid: 'u-1', name: 'payment.completed' },
      payment: { metadata: { cart: 'ps_01' }, total: '25.00', ccy: 'EUR' },
    });
  });
});

describe('events mode: amounts are exact', () => {
  it('keeps a JSON number amount exactly as sent, never through a float', async () => {
    // As a float this is 12345678901234568: the cents would be lost.
    const body =
      '{"id":"evt_big","type":"payment.completed","data":{"session_id":"ps_1","amount":12345678901234567.89,"currency":"EUR"}}';
    expect((await read(options, signedBody(body))).data?.amount).toBe('12345678901234567.89');
  });

  it.each([
    ['1050', 'EUR', '10.50'],
    ['500', 'JPY', '500'],
    ['1234', 'KWD', '1.234'],
  ])('converts %s minor units of %s to "%s"', async (minor, currency, major) => {
    const minorOptions = { secrets: [SECRET], amountUnit: 'minor' as const };
    const body = `{"id":"e","type":"payment.completed","data":{"session_id":"s","amount":${minor},"currency":"${currency}"}}`;
    expect((await read(minorOptions, signedBody(body))).data?.amount).toBe(major);
  });

  it('uses defaultCurrency for minor units when the webhook has no currency, and asks for it otherwise', async () => {
    const body = '{"id":"e","type":"payment.completed","data":{"session_id":"s","amount":1999}}';
    expect((await read({ secrets: [SECRET], amountUnit: 'minor', defaultCurrency: 'USD' }, signedBody(body))).data).toEqual({
      session_id: 's',
      amount: '19.99',
      currency_code: 'usd',
    });
    await expectTenderError(
      read({ secrets: [SECRET], amountUnit: 'minor' }, signedBody(body)),
      'invalid_data',
      /defaultCurrency/,
    );
  });

  it.each([
    ['a fractional minor amount', { amountUnit: 'minor' as const }, '"10.5"', /integer number of minor units/],
    ['an exponent', {}, '1e3', /not a decimal number/],
    ['a negative amount', {}, '"-5.00"', /greater than zero/],
    ['a negative JSON number', {}, '-5', /greater than zero/],
    ['a zero capture', {}, '"0.00"', /greater than zero/],
    ['a zero capture in minor units', { amountUnit: 'minor' as const }, '0', /greater than zero/],
    ['more decimals than the currency has', {}, '"10.005"', /more decimals than EUR/],
    ['an unknown currency', {}, '"10.00","currency":"EURO"', /Unknown currency code "EURO"/],
  ])('rejects %s as invalid_data', async (_label, extra, amount, message) => {
    const body = `{"id":"e","type":"payment.completed","data":{"session_id":"s","currency":"EUR","amount":${amount}}}`;
    await expectTenderError(read({ secrets: [SECRET], ...extra }, signedBody(body)), 'invalid_data', message);
  });
});

describe('events mode: zero is an amount only where no money moved', () => {
  it('reads payment.failed with amount 0, but never payment.completed', async () => {
    const body = (type: string) => `{"id":"e","type":"${type}","data":{"session_id":"s","amount":"0","currency":"EUR"}}`;
    expect((await read(options, signedBody(body('payment.failed')))).data?.amount).toBe('0.00');
    await expectTenderError(read(options, signedBody(body('payment.completed'))), 'invalid_data', /greater than zero/);
    await expectTenderError(read(options, signedBody(body('refund.completed'))), 'invalid_data', /greater than zero/);
  });
});

describe('events mode: malformed bodies (correctly signed) are invalid_data', () => {
  it.each([
    ['not JSON', 'payment completed', /not valid JSON/],
    ['a JSON array', '[1,2]', /must be a JSON object/],
    [
      'no event id',
      '{"type":"payment.completed","data":{"session_id":"s","amount":"1"}}',
      /no event id at "id".*events\.eventIdField/,
    ],
    ['no event type', '{"id":"e","data":{"session_id":"s","amount":"1"}}', /no event type at "type"/],
    ['no session id', '{"id":"e","type":"payment.completed","data":{"amount":"1"}}', /no session id at "data.session_id"/],
    ['no amount', '{"id":"e","type":"payment.completed","data":{"session_id":"s"}}', /no amount at "data.amount"/],
  ])('%s', async (_label, body, message) => {
    await expectTenderError(read(options, signedBody(body)), 'invalid_data', message);
  });

  it('an event id may be a number (as text)', async () => {
    const result = await read(options, signedBody('{"id":123456789012345678901,"type":"customer.created"}'));
    expect(result.event_id).toBe('123456789012345678901');
  });
});

describe('createHmacWebhook', () => {
  it('writes amounts in minor units when the options say so, and signs what it sends', () => {
    const request = createHmacWebhook({
      secret: SECRET,
      options: { amountUnit: 'minor', signatureHeader: 'x-gw-sig', signatureEncoding: 'base64' },
      event: { id: 'e1', type: 'payment.completed', session_id: 's', amount: '10.50', currency: 'EUR' },
    });
    expect(JSON.parse(request.rawBody.toString())).toEqual({
      id: 'e1',
      type: 'payment.completed',
      data: { session_id: 's', amount: 1050, currency: 'EUR' },
    });
    expect(request.headers['x-gw-sig']).toBe(hmacSha256(SECRET, request.rawBody, 'base64'));
    expect(request.method).toBe('POST');
  });

  it('generates a fresh event id when none is given', () => {
    const a = JSON.parse(createHmacWebhook({ secret: SECRET, event: { type: 'customer.created' } }).rawBody.toString());
    const b = JSON.parse(createHmacWebhook({ secret: SECRET, event: { type: 'customer.created' } }).rawBody.toString());
    expect(a.id).toMatch(/^evt_/);
    expect(a.id).not.toBe(b.id);
  });
});

describe('createHmacWebhook refuses what it cannot express', () => {
  it('minor units without a currency, and options the provider would refuse', () => {
    expect(() =>
      createHmacWebhook({
        secret: SECRET,
        options: { amountUnit: 'minor' },
        event: { type: 'payment.completed', amount: '1.00' },
      }),
    ).toThrow(/minor units need event.currency or options.defaultCurrency/);
    expect(() => createHmacWebhook({ secret: SECRET, options: { mode: 'orders' as never }, event: {} })).toThrow(
      /Invalid options for payment provider "hmac": mode/,
    );
  });
});
