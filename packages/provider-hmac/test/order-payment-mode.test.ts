import { describe, expect, it } from '@jest/globals';
import { hmacSha256, signStandardWebhook } from '@tender/core';
import { expectTenderError, read, SECRET, signed, toRequest } from './support/harness.js';

const options = {
  secrets: [SECRET],
  mode: 'order-payment' as const,
  orderPayment: { statuses: { PAID: 'captured' as const, FAILED: 'failed' as const, CANCELLED: 'canceled' as const } },
};
const payment = { id: 'op_77', session_id: 'ps_9', amount: '15.00', currency: 'EUR' };

function signedBody(body: string) {
  const rawBody = Buffer.from(body);
  return toRequest({ 'x-signature': hmacSha256(SECRET, rawBody) }, rawBody);
}

describe('order payment mode', () => {
  it('sends the object with its status field as the gateway does', () => {
    const request = signed(options, { event: { ...payment, status: 'PAID' } });
    expect(JSON.parse(request.rawBody.toString())).toEqual({
      orderPayment: { id: 'op_77', status: 'PAID', reference: 'ps_9', amount: '15.00', currency: 'EUR' },
    });
  });

  it('PAID completes the payment; the event id is the order payment id and status', async () => {
    expect(await read(options, signed(options, { event: { ...payment, status: 'PAID' } }))).toEqual({
      action: 'captured',
      event_id: 'op_77:PAID',
      event_type: 'order_payment.PAID',
      data: { session_id: 'ps_9', amount: '15.00', currency_code: 'eur' },
    });
  });

  it.each([
    ['FAILED', 'failed'],
    ['CANCELLED', 'canceled'],
    ['paid', 'captured'],
  ])('maps %s to %s through the configured statuses', async (status, action) => {
    expect((await read(options, signed(options, { event: { ...payment, status } }))).action).toBe(action);
  });

  it.each(['PENDING', 'AUTHORIZING', 'REFUSED_BY_RULES'])(
    'any other status (%s) completes nothing: not_supported',
    async (status) => {
      expect(await read(options, signed(options, { event: { ...payment, status } }))).toEqual({
        action: 'not_supported',
        event_id: `op_77:${status}`,
        event_type: `order_payment.${status}`,
      });
    },
  );

  it('with the default mapping only PAID completes', async () => {
    const defaults = { secrets: [SECRET], mode: 'order-payment' as const };
    expect((await read(defaults, signed(defaults, { event: { ...payment, status: 'PAID' } }))).action).toBe('captured');
    expect((await read(defaults, signed(defaults, { event: { ...payment, status: 'FAILED' } }))).action).toBe('not_supported');
  });

  it('a redelivered status keeps its event id; a new status is a new event', async () => {
    const paid = signed(options, { event: { ...payment, status: 'PAID' } });
    const first = await read(options, paid);
    const again = await read(options, paid);
    const pending = await read(options, signed(options, { event: { ...payment, status: 'PENDING' } }));
    expect(again.event_id).toBe(first.event_id);
    expect(pending.event_id).not.toBe(first.event_id);
  });

  it('reads a differently shaped object through configured field paths, with numeric ids and amounts', async () => {
    const custom = {
      secrets: [SECRET],
      mode: 'order-payment' as const,
      amountUnit: 'minor' as const,
      orderPayment: {
        idField: 'payment.uuid',
        statusField: 'payment.state',
        sessionIdField: 'payment.merchantRef',
        amountField: 'payment.value',
        currencyField: 'payment.ccy',
        statuses: { SETTLED: 'captured' as const },
      },
    };
    const body = '{"payment":{"uuid":90817,"state":"SETTLED","merchantRef":"ps_5","value":2599,"ccy":"GBP"}}';
    expect(await read(custom, signedBody(body))).toEqual({
      action: 'captured',
      event_id: '90817:SETTLED',
      event_type: 'order_payment.SETTLED',
      data: { session_id: 'ps_5', amount: '25.99', currency_code: 'gbp' },
    });
  });

  it('rejects an object without an id (no stable event id to deduplicate on) or without a status', async () => {
    await expectTenderError(
      read(options, signedBody('{"orderPayment":{"status":"PAID","reference":"ps_9","amount":"15.00"}}')),
      'invalid_data',
      /no order payment id at "orderPayment.id".*orderPayment\.idField/,
    );
    await expectTenderError(
      read(options, signedBody('{"orderPayment":{"id":"op_1","reference":"ps_9","amount":"15.00"}}')),
      'invalid_data',
      /no status at "orderPayment.status"/,
    );
  });

  it('under Standard Webhooks, the signed webhook-id is the event id (an object id is then optional)', async () => {
    const whsec = `whsec_${Buffer.from('order-payment-standard-key').toString('base64')}`;
    const standard = { ...options, scheme: 'standard-webhooks' as const, secrets: [whsec] };
    const rawBody = Buffer.from('{"orderPayment":{"status":"PAID","reference":"ps_9","amount":"15.00"}}');
    const result = await read(standard, toRequest(signStandardWebhook(whsec, 'msg_op', rawBody), rawBody));
    expect(result).toMatchObject({ action: 'captured', event_id: 'msg_op', data: { session_id: 'ps_9', amount: '15' } });
  });
});
